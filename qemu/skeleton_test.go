package qemu

import (
	"fmt"
	"math/rand/v2"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func TestBootToPromptAndHelp(t *testing.T) {
	s := boot(t)
	state, n, why := s.banner()
	assert.Equal(t, "cold", state)
	assert.Equal(t, 1, n)
	assert.Contains(t, why, "blank")

	help := s.run("help")
	for _, c := range []string{"help", "bank", "restart", "reboot", "shutdown -i 0|1", "halt [CODE]", "pmm ls", "pmm alloc NAME SIZE [KEY]", "dmesg", "tunables"} {
		assert.Contains(t, help, c)
	}
	assert.Contains(t, s.run("frobnicate 1 2"), `error: unknown command "frobnicate" (try help)`)
	assert.Contains(t, s.run("pmm alloc"), "error: usage: pmm alloc NAME SIZE [KEY]")

	// a long line and binary garbage: an error, no crash
	// a line far longer than the terminal (the echo wraps, so no run())
	require.NoError(t, s.Send(strings.Repeat("z", 3000)))
	s.expect(`error: unknown command "zzzz`)
	// control bytes, invalid UTF-8 and an unterminated escape sequence:
	// the line editor may swallow them, the console must stay usable
	require.NoError(t, s.Send("\x01\x02\xff\xfe\x7f garbage \x1b[31m\x00\x1b"))
	// the trailing bare ESC is dropped by the console's key filter, the
	// Enter after it ends the garbage line; then a line of its own
	require.NoError(t, s.Send("x\x15"))
	require.NoError(t, s.Send("bank"))
	s.expect("state: cold")
}

// A pattern written into the bank survives three warm resets in one QEMU
// process, and the boot count goes 1, 2, 3, 4.
func TestBankSurvivesWarmResets(t *testing.T) {
	s := boot(t)
	_, n, _ := s.banner()
	require.Equal(t, 1, n)
	pattern := fmt.Sprintf("pattern-%08x", rand.Uint32())
	assert.Contains(t, s.run("pmm alloc probe 100 test"), "probe")
	s.run("pmm write probe " + pattern)
	for want := 2; want <= 4; want++ {
		require.NoError(t, s.Send("reset"))
		state, n, why := s.banner()
		assert.Equal(t, "warm", state)
		assert.Equal(t, want, n)
		assert.Contains(t, why, "warm reset after console reset")
		assert.Contains(t, s.run("pmm dump probe"), pattern)
	}
	assert.Contains(t, s.run("bank"), "warm resets: 3")
}

// A new QEMU process starts with zeroed RAM: the bank is cold.
func TestNewProcessIsCold(t *testing.T) {
	s := boot(t)
	state, n, _ := s.banner()
	assert.Equal(t, "cold", state)
	assert.Equal(t, 1, n)
	assert.Contains(t, s.run("pmm ls"), "__SYS.boot")
	assert.NotContains(t, s.run("pmm ls"), "probe")
}

// reboot discards the bank: the next boot is cold even in the same process.
func TestRebootIsCold(t *testing.T) {
	s := boot(t)
	s.banner()
	s.run("pmm alloc keepme 1 k")
	require.NoError(t, s.Send("reboot"))
	state, n, why := s.banner()
	assert.Equal(t, "cold", state)
	assert.Equal(t, 1, n)
	assert.Contains(t, why, "blank")
	assert.NotContains(t, s.run("pmm ls"), "keepme")
}

func TestHaltExitStatus(t *testing.T) {
	s := boot(t)
	s.banner()
	require.NoError(t, s.Send("halt 3"))
	code, err := s.Wait(timeout)
	require.NoError(t, err)
	assert.Equal(t, 3, code)
	assert.Contains(t, s.run2(), "hr: halted")
}

// run2 is the transcript after the last match (for a machine that exited).
func (s *session) run2() string { return s.Since() }

func TestBootTime(t *testing.T) {
	start := time.Now()
	s := boot(t)
	s.banner()
	t.Logf("host time from QEMU start to prompt: %v", time.Since(start))
}
