package kernel

import (
	"fmt"
	"time"

	"github.com/hotrestart/tamago-hr/kernel/bootrec"
	"github.com/hotrestart/tamago-hr/kernel/tunables"
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

// siteRestart restarts the whole system and keeps the bank: who and why go
// into the boot record first, and every registered group comes back by
// itself on the next boot. Only the first request acts.
func (k *system) siteRestart(kind bootrec.ResetKind, why string) {
	select {
	case <-k.restarting:
		return
	default:
		close(k.restarting)
	}
	fmt.Fprintf(&k.out, "hr: site restart: %s\n", why)
	_ = hw.LED("blue", true) // restart in progress; the next boot turns it off
	k.stopAll("site restart")
	k.recordIntent(bootrec.PathHot, kind, why)
	k.discardTyping()
	k.flushLog()
	err := hw.HotReboot(int(tunables.WatchdogTimeout))
	// still here: the hot path cannot run, fall back to a warm reset
	fmt.Fprintf(&k.out, "hr: %v; warm reset instead\n", err)
	k.recs.Update(func(r *bootrec.Record) { r.Path, r.Intent = bootrec.PathWarm, why+" ("+err.Error()+")" })
	k.flushLog()
	hw.WarmReset()
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

// discardTyping drops what was typed on the UART while the site restart
// ran (nobody reads it any more): the new boot must not receive the tail
// of a line as a command of its own. It waits for 10 ms of quiet, at most
// 200 ms. A line it cut is recorded (bootrec LineCut): unless the next
// boot receives more of it, that boot refuses the rest of the line when
// its Enter comes.
func (k *system) discardTyping() {
	n, cut := hw.DrainConsole(10*time.Millisecond, 200*time.Millisecond)
	if n > 0 {
		fmt.Fprintf(&k.out, "hr: console: %d bytes typed during the restart discarded\n", n)
	}
	if cut && k.recs != nil {
		k.recs.Update(func(r *bootrec.Record) { r.LineCut = true })
	}
}

// restartQuiet is how long the line must be quiet before a restarted
// boot's first prompt: longer than any gap inside a paste or a burst that
// QEMU or a host under load delivers, short against a person's pause.
const restartQuiet = 50 * time.Millisecond

// discardRestartTyping drops, before a restarted boot's first prompt,
// what was typed while the previous boot went down and this one came up:
// none of it may run as a command, nor as the tail of a line. It waits for
// the end of the burst (restartQuiet, at most 2 s); a line left half typed
// is refused whole when its Enter comes (kernel/console, ErrLineLost). A
// cold boot keeps its type-ahead: nothing restarted, it runs whole.
func (k *system) discardRestartTyping() {
	if k.cold() {
		return
	}
	n, cut := hw.DrainConsole(restartQuiet, 2*time.Second)
	if n > 0 {
		fmt.Printf("hr: console: %d bytes typed during the restart discarded\n", n)
	}
	if k.recs != nil && k.recs.Record().LineCut {
		// what this boot received, if anything, says where the input
		// stopped; otherwise the previous boot's last look does
		cut = cut || n == 0
		k.recs.Update(func(r *bootrec.Record) { r.LineCut = false })
	}
	if cut {
		hw.CutConsoleLine()
	}
}
