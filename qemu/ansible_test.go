package qemu

import (
	"context"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// The example playbook (qemu/testdata/ansible, README "Many boards") runs
// on the SSH image with ansible-playbook as a person runs it (ansible-core
// alone: its default output): the raw module's rc and failed follow each
// console command's exit status, a -json listing reads with from_json, and
// a site restart ends its task with rc 0; the playbook asserts each, and
// the board comes back.
func TestAnsibleRawPlaybook(t *testing.T) {
	bin, err := exec.LookPath("ansible-playbook")
	if err != nil {
		t.Skip("no ansible-playbook: make test installs Debian's ansible-core")
	}
	s, port := sshBoot(t)
	dir := t.TempDir()
	key := filepath.Join(dir, "id")
	pem, err := os.ReadFile(os.Getenv("HR_SSH_KEY"))
	require.NoError(t, err)
	require.NoError(t, os.WriteFile(key, pem, 0o600)) // ssh refuses a key others can read

	ctx, cancel := context.WithTimeout(context.Background(), 2*time.Minute)
	defer cancel()
	cmd := exec.CommandContext(ctx, bin, "-i", "inventory.ini", "playbook.yml",
		"-e", "ansible_port="+strconv.Itoa(port), "-e", "ansible_ssh_private_key_file="+key)
	cmd.Dir = filepath.Join("testdata", "ansible")
	cmd.Env = append(os.Environ(), "ANSIBLE_STDOUT_CALLBACK=default", "ANSIBLE_NOCOLOR=1",
		"ANSIBLE_HOME="+filepath.Join(dir, "home"), "ANSIBLE_CONFIG="+filepath.Join(dir, "none.cfg"))
	start := time.Now()
	out, err := cmd.CombinedOutput()
	require.NoError(t, ctx.Err(), "ansible-playbook hung: %s", out)
	require.NoError(t, err, "ansible-playbook:\n%s", out)
	t.Logf("ansible-playbook ran in %v", time.Since(start).Round(100*time.Millisecond))

	// the playbook asserts each task's rc, failed and output itself
	assert.Regexp(t, `(?m)^evk1\s+: ok=7\s+changed=3\s+unreachable=0\s+failed=0\s+skipped=0\s+rescued=0\s+ignored=1\s*$`, string(out))
	assert.Contains(t, string(out), "TASK [Exit statuses, output and the listing] ****")
	assert.Contains(t, string(out), "TASK [The restart's exit status and line] ****")
	assert.NotContains(t, string(out), "Assertion failed")

	s.expect(`hr: warm boot 2 on mx6ullevk \(hot reboot after console restart\)`)
	s.expect(`hr: group 2 running: idle\.2\.1 aid \d+`)
}
