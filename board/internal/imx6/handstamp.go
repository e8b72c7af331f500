package imx6

import (
	"time"

	"github.com/usbarmory/tamago/soc/nxp/imx6ul"
)

// Hand-over stamp: the generic timer's count (CNTPCT, ARM ARM B4.1.30) when
// a boot hands the board over to the next one — hot reboot, upgrade switch,
// WDOG1 software reset — in the save area header (+52 count, +60 magic),
// which no reset clears. The next boot reads it once, when ready: the
// latency of the whole boot on the board clock, which under QEMU -icount
// counts instructions, not host time. QEMU's counter runs on across a
// system reset; silicon's restarts at a reset, so there only hot reboots
// and upgrade switches have a figure.
const (
	hdrHandLo, hdrHandHi, hdrHandMagic = 13, 14, 15
	handValid                          = 0x444e4148 // "HAND"
	hdrEntryLo, hdrEntryHi             = 16, 17     // cpuinit's entry (cpuinit_arm.s)
	hdrDoneLo, hdrDoneHi               = 18, 19     // cpuinit's end
	hdrInitLo, hdrInitHi               = 20, 21     // this package's init (stampInit)
)

// stampHandOver records that this boot hands over now.
func stampHandOver() { stampCounter(hdrHandLo, hdrHandHi, hdrHandMagic, handValid) }

// stampInit records the counter when this package is initialised: after the
// Go runtime's start, tamago's hardware initialisation and the packages this
// one imports, before the rest (the kernel's, the network stack's).
func stampInit() {
	sa := saveArea()
	c := imx6ul.ARM.Counter()
	sa[hdrInitLo], sa[hdrInitHi] = uint32(c), uint32(c>>32)
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
	at := func(lo, hi int) uint64 { return uint64(sa[hi])<<32 | uint64(sa[lo]) }
	then, entry, done, init := at(hdrHandLo, hdrHandHi), at(hdrEntryLo, hdrEntryHi), at(hdrDoneLo, hdrDoneHi), at(hdrInitLo, hdrInitHi)
	handed = sa[hdrHandMagic] == handValid && then <= entry
	sa[hdrHandMagic] = 0
	if !handed {
		then = 0
	}
	if entry < then || done < entry || init < done || now < init {
		entry, done, init = now, now, now // a counter that restarted: one lap
	}
	ns := func(d uint64) time.Duration { return time.Duration(float64(d) * imx6ul.ARM.TimerMultiplier) }
	return ns(entry - then), ns(done - entry), ns(init - done), ns(now - init), handed
}
