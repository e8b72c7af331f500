package qemu

import (
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/hotrestart/tamago-hr/pmm"
)

// saveBank boots the image, runs cmds and saves the bank through QEMU's
// monitor; it returns the file and the bank's address. The machine is gone
// when it returns.
func saveBank(t *testing.T, cmds ...string) (string, uint32) {
	dir := t.TempDir()
	m, err := Start(image(t), Options{Limit: time.Minute, Monitor: filepath.Join(dir, "mon.sock")})
	require.NoError(t, err)
	defer m.Kill()
	s := &session{Machine: m, t: t}
	s.banner()
	for _, c := range cmds {
		s.run(c)
	}
	bank := s.run("bank")
	var start, size uint32
	_, err = fmt.Sscanf(bank, "bank: %v+%v", &start, &size)
	require.NoError(t, err, bank)
	img := filepath.Join(dir, "bank.bin")
	reply, err := m.Monitor(fmt.Sprintf("pmemsave %#x %#x %q", start, size, img), 10*time.Second)
	require.NoError(t, err, reply)
	require.FileExists(t, img, reply)
	return img, start
}

// A bank saved from a running machine decodes on the host with
// tools/bankdump: the on-bank format is the same on both sides.
func TestBankImageDecodesOnHost(t *testing.T) {
	img, _ := saveBank(t, "pmm alloc host-view 100 probe", "pmm write host-view decoded-on-host", "arun -g 5 idle")

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

// A bank whose boot record has the format of images before pmm/record
// (magic bytes "TBRH", CRC-32 IEEE) opens warm with every block kept, and
// the record is reported and not trusted: its counters start again. The
// bank is saved from one QEMU, edited on the host and loaded into the next
// one's RAM before it starts.
func TestOldBootRecordReported(t *testing.T) {
	img, start := saveBank(t, "pmm alloc kept 100 k", "pmm write kept across-processes")

	mem, err := os.ReadFile(img)
	require.NoError(t, err)
	g, err := pmm.GeometryOf(mem)
	require.NoError(t, err)
	b, rep, err := pmm.Open(mem[:g.Size], g)
	require.NoError(t, err)
	require.True(t, rep.Warm, rep.Reason)
	blk, _, err := b.Lookup("__SYS.boot")
	require.NoError(t, err)
	clear(blk)
	copy(blk, "TBRH\x01\x00\x00\x00\x07\x00\x00\x00\x05") // the old format's slot 0, boots 5
	require.NoError(t, os.WriteFile(img, mem, 0o644))

	m2, err := Start(image(t), Options{Limit: time.Minute,
		Extra: []string{"-device", fmt.Sprintf("loader,file=%s,addr=%#x,force-raw=on", img, start)}})
	require.NoError(t, err)
	s2 := &session{Machine: m2, t: t}
	t.Cleanup(m2.Kill)
	s2.expect(`hr: bootrec: no valid record: boot record: no valid copy: copy A: magic "TBRH", want "HRB2"; copy B: never written: not trusted, its counters start again`)
	state, n, why := s2.banner()
	assert.Equal(t, "warm", state)
	assert.Equal(t, 1, n, "the old record's counters are not trusted")
	assert.Equal(t, "no boot record in a valid bank", why)
	assert.Contains(t, s2.run("pmm dump kept 32"), "across-processes")
}
