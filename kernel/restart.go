package kernel

import (
	"errors"
	"fmt"
	"io"
	"math"
	"time"

	"github.com/hotrestart/tamago-hr/board/tunables"
	"github.com/hotrestart/tamago-hr/kernel/bootrec"
)

// stopAll stops every actor within hrCtrl.stopTimeout before a reset; the
// ones that do not stop are named, and the reset goes on regardless.
func (k *system) stopAll(why string) {
	if k.ctl == nil {
		return
	}
	if err := k.ctl.Shutdown(ms(tunables.StopTimeout)); err != nil {
		fmt.Fprintf(&k.out, "hr: %s: %v\n", why, err)
	}
}

// siteRestart restarts the whole system and keeps the bank (goDown, hot
// reboot): who and why go into the boot record first, and every registered
// group comes back by itself on the next boot. by: the asking command's
// output, nil for none (down.by). It returns only when refused: another
// way down is under way.
func (k *system) siteRestart(kind bootrec.ResetKind, why string, by io.Writer) error {
	return k.goDown(down{hand: handHot, kind: kind, why: why, say: "site restart: " + why, by: by})
}

// logFlushTimeout bounds how long a restart waits for the console log to
// reach every session (and so the UART and the crash log): a stalled SSH
// client must not hold the restart.
const logFlushTimeout = 500 * time.Millisecond

// flushLog lets the last lines before a reset reach every session.
func (k *system) flushLog() {
	t := time.NewTimer(logFlushTimeout)
	defer t.Stop()
	if !k.out.Flush(t.C) {
		fmt.Printf("hr: console log not drained within %v\n", logFlushTimeout)
	}
}

// restartQuiet is how long the line must be quiet for a discard of what
// was typed across a restart to end: longer than the gaps inside a paste
// (a terminal's line delay, QEMU's delivery after a reset), short against
// a person's pause before typing at a new prompt.
const restartQuiet = 250 * time.Millisecond

// errGoingDownTyped refuses what a console had read ahead once the board
// goes down.
var errGoingDownTyped = errors.New("not run: the board is going down")

// stopTyping is the first thing a way down does once it is the one that
// acts: nothing typed from now on runs, on any console (the shell is
// closed, so not even a line a session had read ahead), and the UART
// drops what arrives until the line is quiet (restartQuiet).
func (k *system) stopTyping() {
	k.shell.Close(errGoingDownTyped)
	k.board.DiscardConsole(restartQuiet)
}

// discardTyping is the way down's last look at the UART: it waits up to
// 200 ms for the discard stopTyping began to end, says how much it
// dropped, and records whether the input stops in the middle of a line
// (bootrec LineCut, lineCut): the next boot refuses the rest of that line.
func (k *system) discardTyping() {
	n, _ := k.awaitQuiet(200 * time.Millisecond)
	if n > 0 {
		fmt.Fprintf(&k.out, "hr: console: %d bytes typed during the restart discarded\n", n)
	}
	cut := k.lineCut()
	k.updateRecord(func(r *bootrec.Record) { r.LineCut = cut })
}

// lineCut reports whether the UART's input stops in the middle of a line,
// wherever that line is: read by the line editor, or still waiting in the
// receive buffer, typed ahead while the console ran a command. The
// receiver tells (ConsoleMidLine), not the line editor: it has seen every
// character, the editor only those it read, and it knows the line a
// previous boot cut (continueLineCut). Every way down records it for the
// next boot (bootrec LineCut): goDown (discardTyping) and the fault and
// exit paths (recordFatal), which is why it neither locks nor allocates.
func (k *system) lineCut() bool { return k.board.ConsoleMidLine() }

// continueLineCut hands a line the previous boot cut (bootrec LineCut) to
// the UART's receiver as soon as the boot record is open, so that lineCut
// tells it until this boot's first prompt refuses its rest
// (discardRestartTyping): a boot that goes down before (a rollback at
// boot, a fault, the startup script's restart) records it again instead of
// forgetting it.
func (k *system) continueLineCut() {
	if !k.cold() && k.recs != nil && k.recs.Record().LineCut {
		k.board.ContinueConsoleCut()
	}
}

// awaitQuiet waits, at most for limit, for the console's discard to end,
// and returns what it dropped and whether the discard ended.
func (k *system) awaitQuiet(limit time.Duration) (dropped int, ended bool) {
	deadline := time.Now().Add(limit)
	for {
		on, n := k.board.ConsoleDiscarding()
		if !on || !time.Now().Before(deadline) {
			return n, !on
		}
		time.Sleep(5 * time.Millisecond)
	}
}

// discardRestartTyping drops, before a restarted boot's first prompt,
// what was typed while the previous boot went down and this one came up:
// none of it may run, neither as commands nor as the tail of a line,
// however long the paste. The prompt comes once the line has been quiet
// for restartQuiet, or after 2 s of input that does not stop, which is
// then still discarded until it does. A line half typed when the previous
// boot went down (bootrec LineCut: the receiver has it since
// continueLineCut), or when the discard ends, is refused when its Enter
// comes (kernel/console, ErrLineLost); the record forgets it here. A cold
// boot keeps its type-ahead: nothing restarted, it runs whole.
func (k *system) discardRestartTyping() {
	if k.cold() {
		return
	}
	if k.recs != nil && k.recs.Record().LineCut {
		k.recs.Update(func(r *bootrec.Record) { r.LineCut = false })
	}
	k.board.DiscardConsole(restartQuiet)
	n, ended := k.awaitQuiet(2 * time.Second)
	if n > 0 {
		fmt.Printf("hr: console: %d bytes typed during the restart discarded\n", n)
	}
	if !ended {
		fmt.Printf("hr: console: input still arriving: discarded until the line is quiet for %v\n", restartQuiet)
		go func() {
			n, _ := k.awaitQuiet(time.Duration(math.MaxInt64))
			fmt.Fprintf(&k.out, "hr: console: %d bytes discarded in all; what is typed now runs\n", n)
		}()
	}
}
