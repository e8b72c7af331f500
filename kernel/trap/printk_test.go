package trap

import (
	"bytes"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// fresh gives each test a boot of its own: no hooks, no ring, nothing
// printed yet.
func fresh(t *testing.T) *bytes.Buffer {
	t.Helper()
	hooks, ring, earlyN = Hooks{}, nil, 0
	t.Cleanup(func() { hooks, ring, earlyN = Hooks{}, nil, 0 })
	return &bytes.Buffer{}
}

// install installs a UART that keeps what it is sent.
func install(uart *bytes.Buffer) {
	Install(Hooks{Tx: func(c byte) { uart.WriteByte(c) }})
}

func printString(s string) {
	for i := 0; i < len(s); i++ {
		Printk(s[i])
	}
}

// What printk sends goes to the UART and the log alike, each \n as \r\n.
func TestPrintkCRLF(t *testing.T) {
	uart := fresh(t)
	install(uart)
	AttachLog(make([]byte, 4096))
	printString("a\nb\n")
	assert.Equal(t, "a\r\nb\r\n", uart.String())
	log, ok := Snapshot()
	require.True(t, ok)
	assert.Equal(t, "a\r\nb\r\n", string(log.Text))
}

// What is printed before Install reaches the UART once, in order, when
// Install comes, and the crash log too once the bank is attached; what
// follows comes after it.
func TestPrintkBeforeInstall(t *testing.T) {
	uart := fresh(t)
	printString("early\n")
	install(uart)
	assert.Equal(t, "early\r\n", uart.String())
	printString("late\n")
	_, ok := Snapshot()
	assert.False(t, ok, "no log before the bank is attached")
	AttachLog(make([]byte, 4096))
	printString("attached\n")
	assert.Equal(t, "early\r\nlate\r\nattached\r\n", uart.String())
	log, ok := Snapshot()
	require.True(t, ok)
	assert.Equal(t, "early\r\nlate\r\nattached\r\n", string(log.Text))
}

// Console gives printk the UART at package initialisation: what waited is
// sent then, what follows at once, and Install sends nothing twice.
func TestPrintkConsoleBeforeInstall(t *testing.T) {
	uart := fresh(t)
	printString("runtime\n")
	Console(func(c byte) { uart.WriteByte(c) })
	assert.Equal(t, "runtime\r\n", uart.String())
	printString("init panic\n")
	assert.Equal(t, "runtime\r\ninit panic\r\n", uart.String(), "at once, before any Install")
	install(uart)
	printString("boot\n")
	assert.Equal(t, "runtime\r\ninit panic\r\nboot\r\n", uart.String())
}

// Log keeps a byte for dmesg without sending it to the UART (the console
// writer sends its own bytes).
func TestLogOnly(t *testing.T) {
	uart := fresh(t)
	install(uart)
	AttachLog(make([]byte, 4096))
	for _, c := range []byte("typed\r\n") {
		Log(c)
	}
	assert.Empty(t, uart.String())
	log, _ := Snapshot()
	assert.Equal(t, "typed\r\n", string(log.Text))
}

// The early buffer keeps the first 4096 bytes and drops the rest; nothing
// panics, and the log attached later starts with those 4096.
func TestPrintkEarlyFull(t *testing.T) {
	uart := fresh(t)
	long := strings.Repeat("0123456789abcde\n", 300) // 4800 bytes, 5100 with \r
	printString(long)
	install(uart)
	want := strings.ReplaceAll(long, "\n", "\r\n")[:len(early)]
	assert.Equal(t, want, uart.String())
	AttachLog(make([]byte, 8192))
	log, _ := Snapshot()
	assert.Equal(t, want, string(log.Text))
}

// AttachLog hands back what the previous boot left in the block and
// starts the ring empty.
func TestAttachLogPrevious(t *testing.T) {
	fresh(t)
	mem := make([]byte, 4096)
	AttachLog(mem)
	printString("boot 1\n")
	prev := AttachLog(mem)
	assert.True(t, prev.Found)
	assert.Equal(t, "boot 1\r\n", string(prev.Text))
	now, _ := Snapshot()
	assert.Empty(t, now.Text)
}
