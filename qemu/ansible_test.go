package qemu

import (
	"context"
	"encoding/json"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// ansibleTask is one task's result for one host, as Ansible's json
// callback reports it.
type ansibleTask struct {
	Failed  bool   `json:"failed"`
	RC      *int   `json:"rc"`
	Stdout  string `json:"stdout"`
	Stderr  string `json:"stderr"`
	Changed bool   `json:"changed"`
	Skipped bool   `json:"skipped"`
}

// ansibleRun is what the json callback prints for a playbook run.
type ansibleRun struct {
	Plays []struct {
		Tasks []struct {
			Task struct {
				Name string `json:"name"`
			} `json:"task"`
			Hosts map[string]ansibleTask `json:"hosts"`
		} `json:"tasks"`
	} `json:"plays"`
	Stats map[string]map[string]int `json:"stats"`
}

// The example playbook (qemu/testdata/ansible, README "Many boards") runs
// on the SSH image with ansible-playbook as a person runs it: the raw
// module's rc and failed follow each console command's exit status, a
// -json listing reads with from_json, and a site restart ends its task with
// rc 0 and the play with it, in bounded time.
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
	cmd.Env = append(os.Environ(), "ANSIBLE_STDOUT_CALLBACK=json", "ANSIBLE_NOCOLOR=1",
		"ANSIBLE_HOME="+filepath.Join(dir, "home"), "ANSIBLE_CONFIG="+filepath.Join(dir, "none.cfg"))
	start := time.Now()
	out, err := cmd.Output()
	require.NoError(t, ctx.Err(), "ansible-playbook hung: %s", out)
	require.NoError(t, err, "ansible-playbook: %s", out)
	t.Logf("ansible-playbook ran in %v", time.Since(start).Round(100*time.Millisecond))

	var run ansibleRun
	require.NoError(t, json.Unmarshal(out, &run), "%s", out)
	require.Len(t, run.Plays, 1)
	got := map[string]ansibleTask{}
	for _, task := range run.Plays[0].Tasks {
		got[task.Task.Name] = task.Hosts["evk1"]
	}
	rc := func(name string) int {
		t.Helper()
		require.NotNil(t, got[name].RC, "%s: no rc: %+v", name, got[name])
		return *got[name].RC
	}
	assert.Equal(t, 0, rc("Version"))
	assert.False(t, got["Version"].Failed)
	assert.Regexp(t, `^\S+ on mx6ullevk\r?\n$`, got["Version"].Stdout)
	assert.Equal(t, 0, rc("Start a restartable actor in group 2"))
	assert.Regexp(t, `^Started aid = \d+\r?\n$`, got["Start a restartable actor in group 2"].Stdout)
	assert.False(t, got["The actor runs"].Failed)
	assert.Equal(t, 1, rc("A command the console refuses fails its task"))
	assert.True(t, got["A command the console refuses fails its task"].Failed)
	assert.Regexp(t, `^error: pmm free "nosuch": pmm: not found: block "nosuch"\r?\n`, got["A command the console refuses fails its task"].Stderr)
	assert.False(t, got["The refusal's exit status and line"].Failed)
	restart := "Site restart (the session ends with status 0, the board comes back)"
	assert.Equal(t, 0, rc(restart))
	assert.False(t, got[restart].Failed)
	assert.Contains(t, got[restart].Stdout+got[restart].Stderr, "hr: site restart: console restart; this session ends", "%+v", got[restart])
	assert.Equal(t, map[string]int{"changed": 3, "failures": 0, "ignored": 1, "ok": 8, "rescued": 0,
		"skipped": 0, "unreachable": 0}, run.Stats["evk1"])

	s.expect(`hr: warm boot 2 on mx6ullevk \(hot reboot after console restart\)`)
	s.expect(`hr: group 2 running: idle\.2\.1 aid \d+`)
}
