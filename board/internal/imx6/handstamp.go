package imx6

import (
	"time"

	"github.com/usbarmory/tamago/soc/nxp/imx6ul"
)

// stampHandOver records that this boot hands the board over to the next
// one now — hot reboot, upgrade switch, WDOG1 software reset: the generic
// timer's count (CNTPCT, ARM ARM B4.1.30) in the save area header
// (saveHeader.hand), which no reset clears. The next boot reads it once,
// when ready (SinceHandOver): the latency of the whole boot on the board
// clock, which under QEMU -icount counts instructions, not host time.
// QEMU's counter runs on across a system reset; silicon's restarts at a
// reset, so there only hot reboots and upgrade switches have a figure.
func stampHandOver() { saveArea().hand.setNow(handValid) }

// stampInit records the counter when this package is initialised: after the
// Go runtime's start, tamago's hardware initialisation and the packages this
// one imports, before the rest (the kernel's, the network stack's).
func stampInit() {
	saveArea().ready.set(imx6ul.ARM.Counter())
}

// SinceHandOver returns this boot's laps on the board clock: from the
// previous boot's hand-over to cpuinit's entry, through cpuinit, from its
// end to this package's init, and from there to now. It consumes the
// hand-over stamp: read once. Without a usable stamp (a cold start, a
// watchdog timeout, a counter that restarted) handed is false and the
// first lap is from the counter's start.
func (SoC) SinceHandOver() (toEntry, cpuinit, toInit, toNow time.Duration, handed bool) {
	sa := saveArea()
	now := imx6ul.ARM.Counter()
	then, entry, done, init := sa.hand.at.get(), sa.entry.get(), sa.done.get(), sa.ready.get()
	handed = sa.hand.magic == handValid && then <= entry
	sa.hand.magic = 0
	if !handed {
		then = 0
	}
	if entry < then || done < entry || init < done || now < init {
		entry, done, init = now, now, now // a counter that restarted: one lap
	}
	ns := func(d uint64) time.Duration { return time.Duration(float64(d) * imx6ul.ARM.TimerMultiplier) }
	return ns(entry - then), ns(done - entry), ns(init - done), ns(now - init), handed
}
