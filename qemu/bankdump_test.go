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
	s.run("arun -g 5 idle")
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
	// every record kind decoded by name, the geometry read from the header
	assert.Regexp(t, `bank: \d+ bytes, \d+ blocks max \(from its header\)`, string(out))
	assert.Regexp(t, `__SYS\.boot\s+boot record: boots 1, site restarts 0 `, string(out))
	assert.Regexp(t, `__SYS\.dmesg\s+crash log: \d+ bytes`, string(out))
	assert.Regexp(t, `__SYS\.hr\.ctl\s+controller record v1, seq 1 in copy A: aid lease end 33`, string(out))
	assert.Regexp(t, `__SYS\.hr\.g5\s+group record v1, seq 1 in copy A: group 5, restarts 0, badness 0, killed false`, string(out))
	assert.Regexp(t, `__SYS\.hr\.a1\s+actor record v1, seq 1 in copy A: idle\.5\.1 \(direct, group 5, registered as aid 1\): program idle \[\], gen 1, clean false`, string(out))
	out, err = exec.Command("go", "run", "../tools/bankdump", "-dump", "host-view", "-bytes", "32", img).CombinedOutput()
	require.NoError(t, err, string(out))
	assert.Contains(t, string(out), "decoded-on-host")
}
