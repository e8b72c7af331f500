package main

import (
	"bytes"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	"golang.org/x/crypto/ssh"

	"github.com/hotrestart/tamago-hr/actors"
	"github.com/hotrestart/tamago-hr/kernel/bootrec"
	"github.com/hotrestart/tamago-hr/kernel/crashlog"
	"github.com/hotrestart/tamago-hr/kernel/netconsole"
	"github.com/hotrestart/tamago-hr/kernel/upgrade"
	"github.com/hotrestart/tamago-hr/pmm"
	"github.com/hotrestart/tamago-hr/pmm/record"
)

// image writes a bank of an unusual geometry (so that only its header can
// tell it), with every record kind the firmware writes, followed by padding
// as a pmemsave of the whole reserved region has. It returns the file and
// the host key's fingerprint.
func image(t *testing.T) (string, string) {
	mem := make([]byte, 64*pmm.PageSize)
	b, _, err := pmm.Open(mem, pmm.Geometry{Size: len(mem), MaxBlocks: 17})
	require.NoError(t, err)
	blk, err := b.Allocate("PM1", 10, "HELLO_GROUP")
	require.NoError(t, err)
	copy(blk, "hello-bank")

	s, r, err := bootrec.Open(b)
	require.ErrorIs(t, err, bootrec.ErrNoRecord)
	r.Boots, r.SiteRestarts, r.HotReboots, r.ClockMs = 3, 2, 2, 1500
	r.Pending, r.Site, r.Path, r.Intent = true, true, bootrec.PathHot, "console restart"
	s.Save(r)

	logBlk, err := b.AllocateAs(pmm.System, crashlog.BlockName, 4096, crashlog.BlockKey)
	require.NoError(t, err)
	ring, _ := crashlog.Attach(logBlk)
	for _, c := range []byte("hr: warm boot 3\nhr> aps\r\n") {
		ring.Put(c)
	}

	keyBlk, err := b.AllocateAs(pmm.System, netconsole.HostKeyBlock, netconsole.HostKeySize, "__SYS.kern")
	require.NoError(t, err)
	key, _, err := netconsole.HostKey(keyBlk, bytes.NewReader(bytes.Repeat([]byte{5}, 32)))
	require.NoError(t, err)

	progs := &actors.Programs{}
	require.NoError(t, progs.Register("wait", func(ctx *actors.Context) error { <-ctx.Done(); return actors.ErrStopped }, ""))
	ctl, err := actors.New(b, actors.DefaultConfig(), progs, actors.Deps{})
	require.NoError(t, err)
	_, err = ctl.Run(4, "wait", []string{"x"})
	require.NoError(t, err)
	require.NoError(t, ctl.Shutdown(time.Second))

	upBlk, err := b.AllocateAs(pmm.System, upgrade.BlockName, record.BlockSize(upgrade.PayloadSize), upgrade.BlockKey)
	require.NoError(t, err)
	up := upgrade.State{}
	up.Begin("v1", "v2", 1200)
	require.NoError(t, record.New(upBlk, upgrade.Kind).Write(up.Marshal()))

	p := filepath.Join(t.TempDir(), "bank.bin")
	require.NoError(t, os.WriteFile(p, append(mem, make([]byte, 3*pmm.PageSize)...), 0o644))
	return p, ssh.FingerprintSHA256(key.PublicKey())
}

func TestListsBlocksAndRecords(t *testing.T) {
	p, fp := image(t)
	before, _ := os.ReadFile(p)
	var out bytes.Buffer
	require.NoError(t, run([]string{p}, &out))
	o := out.String()
	assert.Contains(t, o, "bank: 262144 bytes, 17 blocks max (from its header), valid, 8 blocks\n")
	assert.Regexp(t, `PM1\s+HELLO_GROUP\s+user`, o)
	assert.Regexp(t, `__SYS\.boot\s+__SYS\.kern\s+system`, o)
	assert.Contains(t, o, "blocks 8 of 17")
	for _, want := range []string{
		`__SYS.boot        boot record: boots 3, site restarts 2 (hot 2, warm 0, watchdog 0), clock 1500 ms, last path hot reboot, pending, site restart, intent "console restart"`,
		`__SYS.dmesg       crash log: 25 bytes (-log prints them), last line "hr> aps"`,
		`__SYS.sshHostKey  ssh host key: present, ssh-ed25519 ` + fp,
		`__SYS.upgrade     upgrade state v1, seq 1 in copy A: trial: v2 (previous v1), trial from 1200 ms, 0 automatic site restarts`,
		`__SYS.hr.ctl      controller record v1, seq 1 in copy A: aid lease end 33`,
		`__SYS.hr.g4       group record v1, seq 1 in copy A: group 4, restarts 0, badness 0, killed false`,
		`__SYS.hr.a1       actor record v1, seq 1 in copy A: wait.4.1 (direct, group 4, registered as aid 1): program wait ["x"], gen 1, clean false`,
	} {
		assert.Contains(t, o, want+"\n")
	}
	_, records, _ := strings.Cut(o, "RECORD ")
	assert.NotContains(t, records, "PM1", "a user block is not a record")
	after, _ := os.ReadFile(p)
	assert.Equal(t, before, after, "the image is never written")

	out.Reset()
	require.NoError(t, run([]string{"-log", p}, &out))
	assert.Equal(t, "hr: warm boot 3\nhr> aps\r\n", out.String())
}

// Records that cannot be trusted are listed with the reason.
func TestUntrustedRecordsSayWhy(t *testing.T) {
	p, _ := image(t)
	mem, err := os.ReadFile(p)
	require.NoError(t, err)
	b, _, err := pmm.Open(mem[:64*pmm.PageSize], pmm.Geometry{Size: 64 * pmm.PageSize, MaxBlocks: 17})
	require.NoError(t, err)
	for name, off := range map[string]int{bootrec.BlockName: 20, netconsole.HostKeyBlock: 0, "__SYS.hr.a1": 30} {
		blk, _, err := b.Lookup(name)
		require.NoError(t, err)
		blk[off] ^= 0x10
	}
	logBlk, _, err := b.Lookup(crashlog.BlockName)
	require.NoError(t, err)
	clear(logBlk)
	require.NoError(t, os.WriteFile(p, mem, 0o644))
	var out bytes.Buffer
	require.NoError(t, run([]string{p}, &out))
	o := out.String()
	for _, want := range []string{
		`__SYS.boot        bootrec: no valid record: boot record: no valid copy: copy A: CRC mismatch; copy B: never written`,
		`__SYS.dmesg       crash log: none`,
		`__SYS.sshHostKey  ssh host key: no valid copy: copy A: magic "XRSK", want "HRSK"; copy B: never written`,
		`__SYS.hr.a1       actor record: no valid copy: copy A: CRC mismatch; copy B: never written`,
	} {
		assert.Contains(t, o, want+"\n")
	}
	err = run([]string{"-log", p}, &out)
	assert.EqualError(t, err, "block __SYS.dmesg holds no crash log")
}

func TestDumpBlock(t *testing.T) {
	p, _ := image(t)
	var out bytes.Buffer
	require.NoError(t, run([]string{"-dump", "PM1", "-bytes", "16", p}, &out))
	assert.Contains(t, out.String(), "|hello-bank")
	assert.ErrorIs(t, run([]string{"-dump", "nosuch", p}, &out), pmm.ErrNotFound)
}

func TestRejectsGarbage(t *testing.T) {
	p := filepath.Join(t.TempDir(), "junk.bin")
	require.NoError(t, os.WriteFile(p, bytes.Repeat([]byte{0xa5}, 16*pmm.PageSize), 0o644))
	err := run([]string{p}, &bytes.Buffer{})
	require.ErrorIs(t, err, pmm.ErrCorrupt)
	assert.EqualError(t, err, "not a valid bank (pmm: corrupt bank: bad magic 0xa5a5a5a5)")
	assert.Error(t, run(nil, &bytes.Buffer{}))
	assert.Error(t, run([]string{"/nonexistent"}, &bytes.Buffer{}))

	// a header saying more than the file holds
	good, _ := image(t)
	mem, err := os.ReadFile(good)
	require.NoError(t, err)
	require.NoError(t, os.WriteFile(p, mem[:32*pmm.PageSize], 0o644))
	assert.EqualError(t, run([]string{p}, &bytes.Buffer{}), "image is 131072 bytes, its bank header says 262144")

	// a damaged header: Open says why it would go cold
	b, _, err := pmm.Open(mem[:64*pmm.PageSize], pmm.Geometry{Size: 64 * pmm.PageSize, MaxBlocks: 17})
	require.NoError(t, err)
	require.NotEmpty(t, b.Blocks())
	hdr := slices.Clone(mem)
	hdr[20] ^= 0xff
	require.NoError(t, os.WriteFile(p, hdr, 0o644))
	err = run([]string{p}, &bytes.Buffer{})
	require.Error(t, err)
	assert.Contains(t, err.Error(), "not a valid bank (")

	// a damaged record (slot 0's name): quarantined and listed, the rest read
	mem[200] ^= 0xff
	require.NoError(t, os.WriteFile(p, mem, 0o644))
	var out bytes.Buffer
	require.NoError(t, run([]string{p}, &out))
	assert.Regexp(t, `1 damaged records quarantined: slot 0 \(name unreadable\)`, out.String())
	assert.Regexp(t, `\?\s+-\s+QUARANTINED slot 0\s+1\s+1\n`, out.String())
	assert.Contains(t, out.String(), "boot record")
}
