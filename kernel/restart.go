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
	k.updateRecord(func(r *bootrec.Record) { r.Path, r.Intent = bootrec.PathWarm, why+" ("+err.Error()+")" })
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
// of a line as a command of its own. It waits for 2 ms of quiet, at most
// 100 ms, as QEMU delivers the next byte only after the last was read.
func (k *system) discardTyping() {
	if n := hw.DrainConsole(2*time.Millisecond, 100*time.Millisecond); n > 0 {
		fmt.Fprintf(&k.out, "hr: console: %d bytes typed during the restart discarded\n", n)
	}
}
