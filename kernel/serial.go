package kernel

import (
	"github.com/hotrestart/tamago-hr/kernel/console"
	"github.com/hotrestart/tamago-hr/kernel/trap"
)

// consoleWriter sends console output (already \r\n terminated by the line
// editor) to the UART and the crash log, so dmesg holds the transcript
// too: its text, without the line editor's escape sequences (a redraw is
// cursor moves and erasures, noise in a log).
type consoleWriter struct {
	board Board // the UART's
	plain *console.Plain
}

func (w consoleWriter) Write(p []byte) (int, error) {
	for _, c := range p {
		w.board.ConsoleTx(c)
		if w.plain.Keep(c) {
			trap.Log(c)
		}
	}
	return len(p), nil
}

// consoleRW is the serial console: input from the board UART, output
// through printk.
type consoleRW struct{ consoleWriter }

func (c consoleRW) Read(p []byte) (int, error) { return c.board.Console().Read(p) }

// Lost passes on the UART's loss count (kernel/console refuses a line that
// lost characters), 0 where the board's reader counts none.
func (c consoleRW) Lost() uint64 {
	if l, ok := c.board.Console().(interface{ Lost() uint64 }); ok {
		return l.Lost()
	}
	return 0
}

// crlf writes through printk (kernel/trap), which turns \n into \r\n.
type crlf struct{}

func (crlf) Write(p []byte) (int, error) {
	for _, c := range p {
		trap.Printk(c)
	}
	return len(p), nil
}
