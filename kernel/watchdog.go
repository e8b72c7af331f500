package kernel

import (
	"fmt"
	"strings"
	"time"

	"github.com/hotrestart/tamago-hr/board/tunables"
	"github.com/hotrestart/tamago-hr/kernel/bootrec"
)

// A goroutine that spins without yielding starves every other one
// (GOMAXPROCS 1, no preemption). WDOG1 catches it: the service goroutine
// below runs only if the scheduler does. Before arming, the boot record gets
// a watchdog breadcrumb as its pending intent; every deliberate reset
// overwrites it, so a boot that finds it knows the watchdog fired even where
// the reset-reason register reads 0 (QEMU) — but only there, and only when
// the last service is at least one watchdog period old: any other reset
// (a debugger's, a power glitch's) finds the same breadcrumb and is
// reported as unexplained (watchdogFired).
const watchdogIntent = "watchdog expiry: the scheduler was starved"

// startWatchdog arms WDOG1 and services it every quarter of
// kern.watchdogTimeout, with or without a boot record: in the no-bank mode
// it still guards the console (and a hot reboot keeps WDOG1 armed, which
// cannot be switched off once on).
func (k *system) startWatchdog() {
	timeout := int(tunables.WatchdogTimeout)
	tick := k.watchdogRecord(timeout)
	k.board.EnableWatchdog(timeout)
	k.board.StampWatchdog()
	go func() {
		period := time.Duration(timeout) * time.Millisecond / 4
		for alive := true; ; alive = !alive {
			time.Sleep(period)
			select {
			case <-k.quit:
				return
			default:
			}
			k.board.ServiceWatchdog(timeout)
			k.board.StampWatchdog()
			_ = k.board.LED("white", alive) // heartbeat, where the board has one
			tick()
		}
	}()
}

// watchdogRecord is the watchdog's work in the boot record: it leaves the
// breadcrumb before WDOG1 is armed and returns what each service does
// there, saving the persistent clock. Without a boot record (the no-bank
// mode) there is neither: a watchdog reset there is not told apart from
// any other.
func (k *system) watchdogRecord(timeoutMs int) (tick func()) {
	recs := k.recs
	if recs == nil {
		return func() {}
	}
	recs.Intend(bootrec.PathWatchdog, bootrec.PlainReset, fmt.Sprintf("%s for %d ms", watchdogIntent, timeoutMs), k.persistentClock())
	return func() { recs.Tick(k.persistentClock()) }
}

// watchdogFired decides whether a reset that found the watchdog breadcrumb
// was WDOG1's: WRSR says so, or WRSR reads nothing (QEMU) and the last
// service is at least 7/8 of the watchdog period old on a counter that ran
// on across the reset. Otherwise it explains why not.
func (k *system) watchdogFired() (bool, string) {
	cause := k.board.ResetCause()
	switch {
	case strings.HasPrefix(cause, "watchdog timeout"): // silicon appends SRC_SRSR's sources
		return true, cause
	case cause == "":
	default:
		return false, cause
	}
	since, ok := k.board.SinceWatchdogStamp()
	if !ok {
		return false, "no reset cause, no service stamp"
	}
	period := k.board.WatchdogPeriod(int(tunables.WatchdogTimeout))
	if since < period*7/8 {
		return false, fmt.Sprintf("no reset cause, watchdog serviced %v before, period %v", since.Round(time.Millisecond), period)
	}
	return true, "last service " + since.Round(time.Millisecond).String() + " before"
}
