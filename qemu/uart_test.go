package qemu

import (
	"fmt"
	"math/rand/v2"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// No byte lost on the UART (issue #26). QEMU 9.1 and later fill the UART's
// 32-entry receive FIFO as silicon does and flag its 32nd character; the
// console keeps it, so every line arrives whole, whatever its length, on
// every QEMU (make test-qemu10 runs this suite on QEMU >= 9.1).

// payload is n printable bytes that change along the line, so a lost or
// doubled byte shows in the count and in a dump.
func payload(n, seed int) string {
	var b strings.Builder
	for i := range n {
		b.WriteByte("abcdefghijklmnopqrstuvwxyz0123456789"[(i+seed)%36])
	}
	return b.String()
}

// uartCounters returns stats' uart line.
func (s *session) uartCounters() string {
	s.t.Helper()
	m := regexp.MustCompile(`uart: [^\r\n]*`).FindString(s.run("stats"))
	require.NotEmpty(s.t, m, "stats has a uart line")
	return m
}

// Lines of 31, 32, 33, 64, 1000 and 4096 bytes and a 100 KB paste arrive
// whole: `pmm write` reports the exact count, the overrun counter stays 0.
func TestUARTLinesArriveWhole(t *testing.T) {
	s := boot(t)
	s.banner()
	s.run("pmm alloc blk 8192")
	const cmd = "pmm write blk "
	for _, n := range []int{31, 32, 33, 64, 1000, 4096} {
		p := payload(n-len(cmd), n)
		require.NoError(t, s.Send(cmd+p))
		s.expect(fmt.Sprintf(`wrote %d bytes to blk\r\n`+prompt, len(p)))
	}
	assert.Contains(t, s.run("pmm dump blk 40"), "|"+payload(40, 4096)[:16])

	// a 100 KB paste of 100 lines in one write: every line runs whole
	var paste strings.Builder
	for i := range 100 {
		fmt.Fprintf(&paste, "%s%s\r", cmd, payload(1010, i))
	}
	require.NoError(t, s.SendRaw([]byte(paste.String())))
	for range 100 {
		s.expect(`wrote 1010 bytes to blk\r\n`)
	}
	s.expect(prompt)
	assert.NotContains(t, s.Transcript(), "error:")
	assert.Regexp(t, `^uart: \d+ received, 0 overruns, 0 parity, 0 framing, 0 breaks, 0 discarded at restarts$`, s.uartCounters())
}

// A line typed before the first prompt of a cold boot runs whole: nothing
// restarted, so nothing is discarded (it lost its first byte before). It
// is typed as soon as the banner shows, the UART being set up by then
// (what arrives before tamago resets the UART is lost on silicon too).
func TestTypeAheadRunsWhole(t *testing.T) {
	s := boot(t)
	s.expect(bootRe)
	require.NoError(t, s.SendRaw([]byte("pmm alloc ahead 4096\rpmm write ahead typed-ahead\r")))
	s.expect(`wrote 11 bytes to ahead`)
	s.expect(prompt)
	assert.Contains(t, s.run("pmm dump ahead 11"), "|typed-ahead|")
	assert.NotContains(t, s.Transcript(), "error:")
	assert.NotContains(t, s.Transcript(), "discarded")
}

// A paste whose first line restarts the site never has its tail run on the
// new boot, whatever it holds (random bytes, Ctrl-C, a `reboot` that would
// wipe the bank) and however long it is: each restart is one boot more,
// warm, with the bank intact and no command of the tail run.
func TestPasteAcrossRestartDiscardedWhole(t *testing.T) {
	s := boot(t)
	s.banner()
	s.run("pmm alloc keep 4096")
	s.run("pmm write keep before")
	r := rand.New(rand.NewPCG(26, 20))
	for i, n := range []int{0, 31, 32, 300, 5000} {
		junk := make([]byte, n)
		for j := range junk {
			junk[j] = byte(r.UintN(256))
		}
		tail := string(junk) + "\x03\rpmm write keep tail-ran\rreboot\r"
		from := len(s.Transcript()) // only what follows the paste counts below
		require.NoError(t, s.SendRaw([]byte("restart\r"+tail)))
		s.expect(fmt.Sprintf(`hr: warm boot %d on \S+ \(hot reboot after console restart\)`, i+2))
		s.expect(prompt)
		bank := s.run("bank")
		require.Contains(t, bank, fmt.Sprintf("boot: %d", i+2), "paste %d: one restart, no reboot", i)
		out := s.Transcript()[from:]
		assert.NotContains(t, out, "error:", "paste %d: nothing of the tail ran", i)
		assert.NotContains(t, out, "cold reboot", "paste %d", i)
		assert.Contains(t, s.run("pmm dump keep 6"), "|before|", "paste %d", i)
	}
	assert.Regexp(t, `^uart: \d+ received, 0 overruns, 0 parity, 0 framing, 0 breaks, \d+ discarded at restarts$`, s.uartCounters())
}

// A line half typed when a restart goes down is not finished as a command
// of its own on the new boot: the rest of it, typed after the prompt, is
// refused whole with one error, and the next line runs.
func TestLineCutByRestartRefused(t *testing.T) {
	s := boot(t)
	s.banner()
	s.run("pmm alloc keep 4096")
	require.NoError(t, s.SendRaw([]byte("restart\rpmm write keep hal")))
	s.expect(`hr: warm boot 2`)
	s.expect(prompt)
	require.NoError(t, s.Send("f-line"))
	s.expect(`error: line not run: characters of it were lost \(typed during a restart, or a UART overrun: see stats\)\r\n` + prompt)
	assert.Contains(t, s.run("bank"), "boot: 2")
	assert.NotContains(t, s.Transcript(), "unknown command")
	assert.NotContains(t, s.run("pmm dump keep 4"), "|f-li|")
}

// A paste whose first line is an upgrade never has its tail run by either
// image: the old one discards it before the switch, the new one before its
// first prompt.
func TestPasteAcrossUpgradeDiscardedWhole(t *testing.T) {
	v2 := envImage(t, "HR_V2_IMAGE")
	s := boot(t)
	s.banner()
	s.run("pmm alloc keep 4096")
	s.run("pmm write keep before")
	from := len(s.Transcript())
	tail := "\x03pmm write keep tail-ran\rupgrade commit\rreboot\r"
	require.NoError(t, s.SendRaw([]byte("upgrade semihost:"+v2+"\r"+tail)))
	assert.Regexp(t, `^hr: warm boot 2 on mx6ullevk \(upgrade from `, s.bootLine())
	s.expect(prompt)
	assert.Equal(t, v2Version, s.version())
	out := s.Transcript()[from:]
	assert.NotContains(t, out, "error:")
	assert.NotContains(t, out, "cold reboot")
	assert.Contains(t, s.run("pmm dump keep 6"), "|before|")
	assert.Regexp(t, `state: trial: v2-test`, s.run("upgrade status"), "the tail's `upgrade commit` did not run")
}

// A reset from QEMU's monitor (no shutdown, nothing recorded) in the middle
// of a paste: the new boot discards the rest, and nothing of it runs.
func TestPasteAcrossSystemResetDiscarded(t *testing.T) {
	dir := t.TempDir()
	s := startWith(t, image(t), Options{Monitor: dir + "/mon.sock"})
	s.banner()
	s.run("pmm alloc keep 4096")
	s.run("pmm write keep before")
	var paste strings.Builder
	for i := range 200 {
		fmt.Fprintf(&paste, "pmm write keep line-%03d\r", i)
	}
	paste.WriteString("reboot\r")
	require.NoError(t, s.SendRaw([]byte(paste.String())))
	s.expect(`wrote 8 bytes to keep`) // the paste is being run
	reply, err := s.Monitor("system_reset", 5*time.Second)
	require.NoError(t, err, reply)
	_, n, _ := s.banner()
	require.Equal(t, 2, n)
	from := len(s.Transcript())
	assert.Contains(t, s.run("bank"), "boot: 2")
	assert.NotContains(t, s.Transcript()[from:], "wrote 8 bytes", "nothing of the paste runs after the reset")
	assert.NotContains(t, s.Transcript(), "cold reboot")
	assert.Regexp(t, `\|line-\d\d\d\|`, s.run("pmm dump keep 8"), "the bank kept what ran before the reset")
}
