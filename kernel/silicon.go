package kernel

import (
	"fmt"
	"io"
	"time"
)

// What the i.MX6 board reports for silicon (issue #24), through optional
// methods a fake board need not have: the core, the boot's laps on the
// board clock, the bytes written with the caches off.

// bootLaps is this boot on the board clock: from the previous boot's hand
// over (or the counter's start, fromCounter) to ready, split at cpuinit's
// entry and end, at the board package's init and at main. Zero where the board has no such clock.
type bootLaps struct {
	toReady, toEntry, cpuinit, toInit, mainToReady time.Duration
	fromCounter                                    bool
}

// readBootLaps asks the board for the laps (once: it consumes the stamp);
// sinceMain is the runtime's time from main to now.
func (k *system) readBootLaps(sinceMain time.Duration) bootLaps {
	h, ok := any(k.board).(interface {
		SinceHandOver() (toEntry, cpuinit, toInit, toNow time.Duration, handed bool)
	})
	if !ok {
		return bootLaps{}
	}
	e, c, i, n, handed := h.SinceHandOver()
	return bootLaps{toReady: e + c + i + n, toEntry: e, cpuinit: c, toInit: i, mainToReady: sinceMain, fromCounter: !handed}
}

// printCPU prints the core and its revision at boot: the revision decides
// which errata apply.
func (k *system) printCPU() {
	if c, ok := any(k.board).(interface{ CPU() string }); ok {
		fmt.Printf("hr: cpu %s\n", c.CPU())
	}
}

// writeSiliconStats writes stats' lines for the core, the laps and the
// bytes written with the caches off.
func (l bootLaps) writeSiliconStats(out io.Writer, board Board) {
	if c, ok := any(board).(interface{ CPU() string }); ok {
		fmt.Fprintf(out, "cpu: %s\n", c.CPU())
	}
	if l.toReady > 0 {
		from := "previous boot's hand-over"
		if l.fromCounter {
			from = "counter start"
		}
		fmt.Fprintf(out, "to ready: %d µs from the %s (board clock): %d to cpuinit, %d in it, %d to the board's init, %d to main, %d from main\n",
			l.toReady.Microseconds(), from, l.toEntry.Microseconds(), l.cpuinit.Microseconds(), l.toInit.Microseconds(),
			(l.toReady - l.toEntry - l.cpuinit - l.toInit - l.mainToReady).Microseconds(), l.mainToReady.Microseconds())
	}
	if c, ok := any(board).(interface{ BootCosts() string }); ok {
		fmt.Fprintf(out, "written with caches off: %s\n", c.BootCosts())
	}
}
