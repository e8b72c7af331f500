package trap

import (
	_ "unsafe"

	"github.com/hotrestart/tamago-hr/kernel/crashlog"
)

// ring receives every byte printed once the bank is open (AttachLog);
// before that the bytes wait in early, at most len(early) of them.
var (
	ring   *crashlog.Ring
	early  [4096]byte
	earlyN int
)

// printk replaces the board's console hook (tag linkprintk): every byte the
// runtime prints, fatal tracebacks included, goes to the UART and to the
// crash log in the bank. It runs on any stack, in any mode, and must not
// allocate. Before Install it has no UART: the bytes wait in early, and
// Install sends them.
//
//go:linkname printk runtime/goos.Printk
func printk(c byte) {
	if c == '\n' {
		emit('\r')
	}
	emit(c)
}

// Printk is printk for the kernel's writers: c goes to the UART and the
// crash log, a '\n' as "\r\n".
func Printk(c byte) { printk(c) }

// emit sends one byte to the UART and the log, as is.
func emit(c byte) {
	if hooks.Tx != nil {
		hooks.Tx(c)
	}
	Log(c)
}

// Log adds one byte to the crash log only (the console's writer sends its
// bytes to the UART itself and logs them without the line editor's escape
// sequences).
func Log(c byte) {
	if ring != nil {
		ring.Put(c)
	} else if earlyN < len(early) {
		early[earlyN] = c
		earlyN++
	}
}

// AttachLog moves logging into the bank block mem (crashlog.Attach) and
// returns the previous boot's log; what was printed before (early) goes
// into the ring first. The boot calls it once the bank is open.
func AttachLog(mem []byte) crashlog.Log {
	r, prev := crashlog.Attach(mem)
	for _, c := range early[:earlyN] {
		r.Put(c)
	}
	ring = r
	return prev
}

// Snapshot is this boot's crash log so far (dmesg now); false before
// AttachLog (no bank, or no room for the log).
func Snapshot() (crashlog.Log, bool) {
	if ring == nil {
		return crashlog.Log{}, false
	}
	return ring.Bytes(), true
}
