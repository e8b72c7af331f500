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
)

// stampHandOver records that this boot hands over now.
func stampHandOver() {
	sa := saveArea()
	c := imx6ul.ARM.Counter()
	sa[hdrHandMagic] = 0
	sa[hdrHandLo], sa[hdrHandHi] = uint32(c), uint32(c>>32)
	sa[hdrHandMagic] = handValid
}

// SinceHandOver returns the board-clock time from the previous boot's hand
// over to now and, of it, to cpuinit's entry; it consumes the stamp.
// Without a usable stamp (a cold start, a watchdog timeout, a counter that
// restarted) both are from the counter's start and handed is false.
func SinceHandOver() (toNow, toEntry time.Duration, handed bool) {
	sa := saveArea()
	now := imx6ul.ARM.Counter()
	entry := uint64(sa[hdrEntryHi])<<32 | uint64(sa[hdrEntryLo])
	then := uint64(sa[hdrHandHi])<<32 | uint64(sa[hdrHandLo])
	handed = sa[hdrHandMagic] == handValid && then <= entry && entry <= now
	sa[hdrHandMagic] = 0
	if !handed {
		then = 0
	}
	ns := func(d uint64) time.Duration { return time.Duration(float64(d) * imx6ul.ARM.TimerMultiplier) }
	return ns(now - then), ns(min(entry, now) - min(then, entry)), handed
}
