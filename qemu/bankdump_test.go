package qemu

import (
	"fmt"
	"os/exec"
	"path/filepath"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// A bank saved from a running machine decodes on the host with
// tools/bankdump: the on-bank format is the same on both sides.
func TestBankImageDecodesOnHost(t *testing.T) {
	dir := t.TempDir()
	m, err := Start(image(t), Options{Limit: time.Minute, Monitor: filepath.Join(dir, "mon.sock")})
	require.NoError(t, err)
	s := &session{Machine: m, t: t}
	t.Cleanup(m.Kill)
	s.banner()
	s.run("pmm alloc host-view 100 probe")
	s.run("pmm write host-view decoded-on-host")
	bank := s.run("bank")
	var start, size uint32
	_, err = fmt.Sscanf(bank, "bank: %v+%v", &start, &size)
	require.NoError(t, err, bank)
	img := filepath.Join(dir, "bank.bin")
	reply, err := m.Monitor(fmt.Sprintf("pmemsave %#x %#x %q", start, size, img), 10*time.Second)
	require.NoError(t, err, reply)
	require.FileExists(t, img, reply)

	out, err := exec.Command("go", "run", "../tools/bankdump", img).CombinedOutput()
	require.NoError(t, err, string(out))
	assert.Regexp(t, `host-view\s+probe\s+user`, string(out))
	assert.Regexp(t, `__SYS\.boot\s+__SYS\.kern\s+system`, string(out))
	out, err = exec.Command("go", "run", "../tools/bankdump", "-dump", "host-view", "-bytes", "32", img).CombinedOutput()
	require.NoError(t, err, string(out))
	assert.Contains(t, string(out), "decoded-on-host")
}
