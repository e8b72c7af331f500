package kernel

import (
	_ "unsafe"

	"github.com/hotrestart/tamago-hr/kernel/console"
	"github.com/hotrestart/tamago-hr/kernel/crashlog"
)

// ring receives every byte printed once the bank is open; before that the
// bytes wait in early.
var (
	ring   *crashlog.Ring
	early  [4096]byte
	earlyN int
)

// printk replaces the board's console hook (tag linkprintk): every byte the
// runtime prints, fatal tracebacks included, goes to the UART and to the
// crash log in the bank. It runs on any stack and must not allocate.
//
//go:linkname printk runtime/goos.Printk
func printk(c byte) {
	if c == '\n' {
		emit('\r')
	}
	emit(c)
}

// emit sends one byte to the UART and the log, as is.
func emit(c byte) {
	hw.ConsoleTx(c)
	logByte(c)
}

// logByte adds one byte to the log.
func logByte(c byte) {
	if ring != nil {
		ring.Put(c)
	} else if earlyN < len(early) {
		early[earlyN] = c
		earlyN++
	}
}

// attachLog moves logging into the bank block and returns the previous
// boot's log.
func attachLog(mem []byte) crashlog.Log {
	r, prev := crashlog.Attach(mem)
	for _, c := range early[:earlyN] {
		r.Put(c)
	}
	ring = r
	return prev
}

// consoleWriter sends console output (already \r\n terminated by the line
// editor) to the UART and the crash log, so dmesg holds the transcript
// too: its text, without the line editor's escape sequences (a redraw is
// cursor moves and erasures, noise in a log).
type consoleWriter struct{ plain *console.Plain }

func (w consoleWriter) Write(p []byte) (int, error) {
	for _, c := range p {
		hw.ConsoleTx(c)
		if w.plain.Keep(c) {
			logByte(c)
		}
	}
	return len(p), nil
}

// consoleRW is the serial console: input from the board UART, output
// through printk.
type consoleRW struct{ consoleWriter }

func (consoleRW) Read(p []byte) (int, error) { return hw.Console().Read(p) }

// Lost passes on the UART's loss count (kernel/console refuses a line that
// lost characters), 0 where the board's reader counts none.
func (consoleRW) Lost() uint64 {
	if l, ok := hw.Console().(interface{ Lost() uint64 }); ok {
		return l.Lost()
	}
	return 0
}

// crlf writes through printk, which turns \n into \r\n.
type crlf struct{}

func (crlf) Write(p []byte) (int, error) {
	for _, c := range p {
		printk(c)
	}
	return len(p), nil
}
