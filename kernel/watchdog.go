package main

import (
	"fmt"
	"time"

	"github.com/hotrestart/tamago-hr/kernel/bootrec"
	"github.com/hotrestart/tamago-hr/kernel/tunables"
)

// A goroutine that spins without yielding starves every other one
// (GOMAXPROCS 1, no preemption). WDOG1 catches it: the service goroutine
// below runs only if the scheduler does. Before arming, the boot record gets
// a watchdog breadcrumb as its pending intent; every deliberate reset
// overwrites it, so a boot that finds it knows the watchdog fired even where
// the reset-reason register reads 0 (QEMU).
const watchdogIntent = "watchdog expiry: the scheduler was starved"

// startWatchdog arms WDOG1 and services it, saving the persistent clock on
// the way.
func (k *kernel) startWatchdog() {
	timeout := int(tunables.WatchdogTimeout)
	k.recordIntent(bootrec.PathWatchdog, plainReset, fmt.Sprintf("%s for %d ms", watchdogIntent, timeout))
	hw.EnableWatchdog(timeout)
	go func() {
		period := time.Duration(timeout) * time.Millisecond / 4
		for alive := true; ; alive = !alive {
			time.Sleep(period)
			hw.ServiceWatchdog(timeout)
			_ = hw.LED("white", alive) // heartbeat, where the board has one
			k.rec.ClockMs = persistentClock()
			k.recs.Save(k.rec)
		}
	}()
}
