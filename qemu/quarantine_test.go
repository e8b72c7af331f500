package qemu

import (
	"encoding/binary"
	"fmt"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// bankAddr reads the bank's address from the first boot banner.
func (s *session) bankAddr() uint32 {
	s.t.Helper()
	m := regexp.MustCompile(`; bank (0x[0-9a-f]+)\+`).FindStringSubmatch(s.Transcript())
	require.NotNil(s.t, m, "no bank in the banner")
	a, err := strconv.ParseUint(m[1], 0, 32)
	require.NoError(s.t, err)
	return uint32(a)
}

// corruptRecord stops the CPU through the gdbstub at gdbAddr, finds the
// table record of block name in the bank at bank by the header's table
// offset and maxBlocks (pmm/doc.go), flips a bit of its checksum, as a
// stray write would, and lets the CPU run. It returns the record's slot.
func corruptRecord(t *testing.T, gdbAddr string, bank uint32, name string) int {
	t.Helper()
	// the name field, zero padded, up to and including a zero word
	field := []byte(name + "\x00")
	for len(field)%4 != 0 {
		field = append(field, 0)
	}
	g, err := DialGDB(gdbAddr, 10*time.Second)
	require.NoError(t, err)
	maxBlocks, err := g.Read32(bank + 16)
	require.NoError(t, err)
	table, err := g.Read32(bank + 32)
	require.NoError(t, err)
	for i := range maxBlocks {
		rec := bank + table + 96*i
		match := true
		for k := 0; k < len(field) && match; k += 4 {
			w, err := g.Read32(rec + 16 + uint32(k))
			require.NoError(t, err)
			match = w == binary.LittleEndian.Uint32(field[k:])
		}
		if !match {
			continue
		}
		crc, err := g.Read32(rec + 92)
		require.NoError(t, err)
		require.NoError(t, g.Write32(rec+92, crc^0x100))
		require.NoError(t, g.Continue())
		return int(i)
	}
	require.NoError(t, g.Continue())
	t.Fatalf("no record of %q in the bank's table", name)
	return -1
}

// One block record damaged in a running image (a gdbstub write): pmm
// verify and bank say so at once; a site restart and an outside reset
// (system_reset) keep every other block and the group, name the lost
// block, withhold its pages, and the operator frees it.
func TestDamagedRecordIsQuarantined(t *testing.T) {
	gdbAddr := fmt.Sprintf("127.0.0.1:%d", freePort(t))
	s := startWith(t, image(t), Options{Limit: 3 * time.Minute, Monitor: filepath.Join(t.TempDir(), "mon.sock"),
		Extra: []string{"-gdb", "tcp:" + gdbAddr}})
	s.banner()
	s.arun("-g 3 counter")
	s.run("pmm alloc keep 100")
	s.run("pmm write keep survives")
	s.run("pmm alloc lost 8K")
	s.run("pmm write lost doomed")
	slot := corruptRecord(t, gdbAddr, s.bankAddr(), "lost")

	bad := fmt.Sprintf(`slot %d: bad checksum 0x[0-9a-f]+, computed 0x[0-9a-f]+`, slot)
	assert.Regexp(t, `^error: pmm: corrupt bank: 1 problems: `+bad, s.run("pmm verify"))
	assert.Regexp(t, `metadata: damaged since this boot, the next boot quarantines what it hits: pmm: corrupt bank: 1 problems: `+bad, s.run("bank"))

	quarantined := fmt.Sprintf(`hr: bank: 1 damaged records quarantined, every other block kept \(`+"`pmm ls` lists them, `pmm release SLOT` frees their pages"+`\):\r?\nhr: bank: quarantined slot %d "lost" \(pages \d+\.\.\d+ withheld; bad checksum`, slot)
	check := func(when string, boots int) {
		tr := s.Transcript()
		assert.Len(t, regexp.MustCompile(quarantined).FindAllString(tr, -1), boots-1, when)
		assert.Equal(t, boots-1, strings.Count(tr, "hr: 1 groups resumed"), when)
		assert.Contains(t, s.run("pmm dump keep 8"), "survives", when)
		assert.Regexp(t, `lost\s+-\s+QUARANTINED slot \d+\s+\d+\s+2\s+8192`, s.run("pmm ls"), when)
		assert.Regexp(t, `quarantined: 1 damaged records, 2 pages withheld`, s.run("bank"), when)
		assert.Contains(t, s.run("pmm verify"), "bank ok", when)
		assert.Contains(t, s.run("pmm dump lost"), `error: pmm dump "lost": pmm: not found`, when)
	}
	require.NoError(t, s.Send("restart"))
	state, n, why := s.banner()
	assert.Equal(t, "warm", state)
	assert.Contains(t, why, "hot reboot after console restart")
	check("after a site restart", n)

	_, err := s.Monitor("system_reset", 10*time.Second)
	require.NoError(t, err)
	state, n, _ = s.banner()
	assert.Equal(t, "warm", state)
	check("after system_reset", n)

	assert.Contains(t, s.run("pmm free lost"), "freed lost")
	assert.NotContains(t, s.run("pmm ls"), "QUARANTINED")
	assert.NotContains(t, s.run("bank"), "quarantined: 1")
}

// A bank the kernel cannot use: a full table whose boot record is damaged
// (a gdbstub write) leaves no slot for a new boot record. The console
// serves the reduced table: what needs the bank answers one line (stats
// panicked), the bank can be seen and room made, and a restart then boots
// warm with every other block.
func TestNoBankMode(t *testing.T) {
	gdbAddr := fmt.Sprintf("127.0.0.1:%d", freePort(t))
	s := boot(t, "-gdb", "tcp:"+gdbAddr)
	s.banner()
	s.noBankMode(gdbAddr, "reset")
	why := noRoomWhy
	for _, cmd := range []string{"stats", "bank", "dmesg", "aps"} {
		assert.Equal(t, "error: "+cmd+" needs the bank (bank unusable: "+why+")\r\n", s.run(cmd), cmd)
	}
	assert.Equal(t, "error: pmm alloc needs the bank (bank unusable: "+why+")\r\n", s.run("pmm alloc x 1"))
	assert.Regexp(t, `^up \d`, s.run("uptime"))
	assert.Regexp(t, `__SYS\.boot\s+-\s+QUARANTINED slot \d+`, s.run("pmm ls"))
	assert.Contains(t, s.run("pmm free b0"), "freed b0")
	require.NoError(t, s.Send("restart"))
	state, _, reason := s.banner()
	assert.Equal(t, "warm", state)
	assert.Equal(t, "no boot record in a valid bank", reason)
	assert.Contains(t, s.Transcript(), `hr: bank: "__SYS.boot" lost: boot record: boot and restart counters start again`)
	assert.Contains(t, s.run("pmm dump b1 4"), "kept")
	assert.Contains(t, s.run("stats"), "site restarts: 0 in the bank's life")
	assert.NotContains(t, s.Transcript(), "panic")
}

// A bit flipped in the bank's header (a gdbstub write) is repaired at the
// next boot, not a reason to format the bank.
func TestHeaderBitFlipRepaired(t *testing.T) {
	gdbAddr := fmt.Sprintf("127.0.0.1:%d", freePort(t))
	s := boot(t, "-gdb", "tcp:"+gdbAddr)
	s.banner()
	s.run("pmm alloc keep 100")
	s.run("pmm write keep survives")
	bank := s.bankAddr()
	g, err := DialGDB(gdbAddr, 10*time.Second)
	require.NoError(t, err)
	w, err := g.Read32(bank + 40) // reserved, zero
	require.NoError(t, err)
	require.NoError(t, g.Write32(bank+40, w^0x10))
	require.NoError(t, g.Continue())
	assert.Contains(t, s.run("pmm verify"), "header: bad header checksum")

	require.NoError(t, s.Send("reset"))
	state, _, _ := s.banner()
	assert.Equal(t, "warm", state)
	assert.Regexp(t, `state: warm \(valid, \d+ blocks; header repaired \(bad header checksum 0x[0-9a-f]+, computed 0x[0-9a-f]+, one bit from this geometry's\)\)`, s.run("bank"))
	assert.Contains(t, s.run("pmm dump keep 8"), "survives")
	assert.Contains(t, s.run("pmm verify"), "bank ok")
}
