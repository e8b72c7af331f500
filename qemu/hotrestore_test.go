package qemu

import (
	"fmt"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// dumpLineRe is one line of a hex dump (actors may print between them).
var dumpLineRe = regexp.MustCompile(`(?m)^[0-9a-f]{8}  `)

// gcRe is what the gc command prints.
var gcRe = regexp.MustCompile(`gc: heap in use (\d+) -> (\d+) bytes, GCs (\d+)`)

// allocRound is allocation-heavy console work: a 4 KiB hex dump (about
// 20 KiB of formatted output), aps, stats and a forced GC, each checked.
func (s *session) allocRound(i int) {
	s.t.Helper()
	dump := s.run("pmm dump big 4096")
	require.Len(s.t, dumpLineRe.FindAllString(dump, -1), 256, "round %d: dump of 4096 bytes is 256 lines", i)
	require.Contains(s.t, dump, "00000000  72 6f 75 6e 64", "round %d", i)
	require.Regexp(s.t, `(?m)^\s*AID\s+GEN\s+NAME`, s.run("aps"), "round %d", i)
	require.Regexp(s.t, gcRe, s.run("gc"), "round %d", i)
	require.Contains(s.t, s.run("stats"), "bss canary: 0x00000000", "round %d", i)
}

// A hot boot is byte for byte a fresh load: after a hot reboot the runtime's
// module data (.go.module) is the image's again, so forced GCs and heavy
// allocation find a sound heap. Restoring only .noptrdata/.data (the old
// span) leaves GC masks of the previous boot and this test ends in garbage,
// a fault or a reset.
func TestHotRebootHeapSoundUnderGC(t *testing.T) {
	s := boot(t)
	s.banner()
	s.run("pmm alloc big 4096")
	s.run("pmm write big round-0")
	require.NoError(t, s.Send("restart"))
	state, n, why := s.banner()
	require.Equal(t, "warm", state)
	require.Equal(t, 2, n)
	require.Contains(t, why, "hot reboot after console restart")
	assert.Regexp(t, `writable data: hot boot: \d+ bytes at 0x[0-9a-f]+ restored and verified`, s.run("stats"))
	for i := 0; i < 60; i++ {
		s.allocRound(i)
	}
	assert.Contains(t, s.run("pmm verify"), "bank ok")
	assert.NotContains(t, s.Transcript(), "panic")
	assert.NotContains(t, s.Transcript(), "fatal")
}

// Hot reboots interleaved with allocation-heavy work and a forced GC right
// after each boot: every boot is hot, verified, and the heap stays sound.
func TestHotRebootGCSoak(t *testing.T) {
	s := boot(t)
	s.banner()
	s.run("pmm alloc big 4096")
	s.run("pmm write big round-0")
	s.arun("-g 1 counter")
	for round := 1; round <= 8; round++ {
		require.NoError(t, s.Send("restart"))
		_, n, why := s.banner()
		require.Equal(t, round+1, n)
		require.Contains(t, why, "hot reboot after console restart")
		require.Regexp(t, gcRe, s.run("gc"), "round %d: GC right after the boot", round)
		for i := 0; i < 5; i++ {
			s.allocRound(round*10 + i)
		}
		s.run(fmt.Sprintf("pmm write big round-%d", round))
	}
	st := s.run("stats")
	assert.Contains(t, st, "site restarts: 8 in the bank's life")
	assert.Regexp(t, `restored and verified`, st)
	assert.NotContains(t, s.Transcript(), "panic")
}

// saveArea is where cpuinit keeps the pristine copy on the EVK image with
// the default tunables (README "RAM layout"); the copy starts after a
// 32-byte header.
const saveArea = 0x9de00000

// The on-target self-check: a pristine copy corrupted between boots (here
// by the debugger, on silicon by a stray DMA) is caught by cpuinit's
// checksum of the restored data before any Go runs; the SoC resets through
// WDOG1 (a fresh load) and the next boot says so.
func TestHotRestoreCheckCatchesCorruptCopy(t *testing.T) {
	gdbAddr := fmt.Sprintf("127.0.0.1:%d", freePort(t))
	s := boot(t, "-gdb", "tcp:"+gdbAddr)
	s.banner()
	assert.Regexp(t, `writable data: saved \d+ bytes at 0x`, s.run("stats"))
	g, err := DialGDB(gdbAddr, 10*time.Second) // stops the CPU
	require.NoError(t, err)
	hdr, err := g.Read32(saveArea)
	require.NoError(t, err)
	require.Equal(t, uint32(0x44564153), hdr, "save area state SAVD")
	word, err := g.Read32(saveArea + 32 + 0x400)
	require.NoError(t, err)
	require.NoError(t, g.Write32(saveArea+32+0x400, ^word))
	require.NoError(t, g.Continue())

	require.NoError(t, s.Send("restart"))
	s.expect(`hr: hot reboot failed its check, WDOG1 reset instead`)
	state, n, why := s.banner()
	assert.Equal(t, "warm", state)
	assert.Equal(t, 2, n)
	assert.Equal(t, "warm reset after console restart (hot restore failed its check)", why)
	assert.Regexp(t, `writable data: saved \d+ bytes at 0x`, s.run("stats"))
	assert.Contains(t, s.run("pmm verify"), "bank ok")
	// the next hot reboot works again from a fresh copy
	require.NoError(t, s.Send("restart"))
	_, n, why = s.banner()
	assert.Equal(t, 3, n)
	assert.Contains(t, why, "hot reboot after console restart")
	assert.Regexp(t, `restored and verified`, s.run("stats"))
	assert.Equal(t, 1, strings.Count(s.Transcript(), "hot reboot failed its check, WDOG1 reset instead"), "reported once")
}
