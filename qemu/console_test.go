package qemu

import (
	"math/rand/v2"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// Every key a serial line can deliver, by its transcript: Ctrl-C discards
// the line, Ctrl-D does nothing, a paste runs, an over-long line is refused
// whole, '#' starts a comment only at a word's start, a bare ESC does not
// eat the next key.
func TestConsoleKeys(t *testing.T) {
	s := boot(t)
	s.banner()
	s.run("pmm alloc blk 4096")
	s.run("pmm write blk original")

	require.NoError(t, s.SendRaw([]byte("pmm write blk typed\x03")))
	s.expect(`pmm write blk typed\r\n` + prompt)
	assert.Contains(t, s.run("pmm dump blk 8"), "|original|", "the interrupted line did not run")

	require.NoError(t, s.SendRaw([]byte("\x04\x04")))
	assert.Contains(t, s.run("bank"), "boot: 1", "Ctrl-D neither ends nor resets anything")

	require.NoError(t, s.SendRaw([]byte("\x1b[200~pmm write blk pasted\r\x1b[201~")))
	s.expect(`wrote 6 bytes to blk`)
	require.NoError(t, s.SendRaw([]byte("\x1b[200~pmm write blk p2\r")))
	s.expect(`wrote 2 bytes to blk`)
	assert.Contains(t, s.run("pmm write blk p3"), "wrote 2 bytes to blk", "an unterminated paste leaves the console usable")

	require.NoError(t, s.Send("pmm write blk "+strings.Repeat("x", 5000)))
	s.expect(`error: line too long \(5014 bytes, at most 4096\)`)
	assert.Contains(t, s.run("pmm dump blk 8"), "|p3stedal|", "the long line did not run, not even cut")

	assert.Contains(t, s.run("pmm write blk a#b # a comment"), "wrote 3 bytes to blk")
	assert.Contains(t, s.run("pmm dump blk 3"), "|a#b|")

	require.NoError(t, s.Send("\x1bbank"))
	s.expect(`state: cold`)
	assert.NotContains(t, s.Transcript(), "ErrPasteIndicator")
}

// 100 KB of random bytes, every value, on the UART: no reset, no safe mode,
// the bank intact, and the console answers afterwards.
func TestConsoleRandomBytes(t *testing.T) {
	s := boot(t)
	s.banner()
	s.run("pmm alloc keep 4096")
	s.run("pmm write keep noise-proof")
	r := rand.New(rand.NewPCG(12, 15))
	noise := make([]byte, 100<<10)
	for i := range noise {
		noise[i] = byte(r.UintN(256))
	}
	start := time.Now()
	require.NoError(t, s.SendRaw(noise))
	// the line editor may still hold half a line: Ctrl-C, then a command
	require.NoError(t, s.SendRaw([]byte("\x03")))
	require.NoError(t, s.Send("bank"))
	s.expect(`site restarts: \d+`)
	t.Logf("100 KB of noise consumed in %v", time.Since(start).Round(time.Millisecond))
	bank := s.run("bank")
	assert.Contains(t, bank, "boot: 1", "no reset")
	assert.Contains(t, bank, "site restarts: 0, hot reboots: 0, warm resets: 0, unexpected: 0")
	assert.Contains(t, s.run("pmm verify"), "bank ok")
	assert.Contains(t, s.run("pmm dump keep 11"), "|noise-proof|")
	tr := s.Transcript()
	assert.NotContains(t, tr, "SAFE MODE")
	assert.NotContains(t, tr, "warm boot")
	assert.NotContains(t, tr, "panic")
}

// Input typed while a hot reboot runs does not arrive on the new boot as
// the tail of a line: the old boot discards what was typed while it went
// down (and QEMU drops what arrives while the UART is reset), the new boot
// what its UART holds before the prompt.
func TestInputDuringHotRebootDiscarded(t *testing.T) {
	s := boot(t)
	s.banner()
	require.NoError(t, s.SendRaw([]byte("restart\rpmm ls\r")))
	s.expect(`hr: warm boot 2`)
	s.expect(prompt)
	assert.Contains(t, s.run("bank"), "boot: 2")
	assert.NotContains(t, s.Transcript(), "error: unknown command")
	assert.NotContains(t, s.Transcript(), "__SYS.boot", "pmm ls typed during the restart did not run")
}
