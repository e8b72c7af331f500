// Package imx6 holds what both i.MX6UL/ULL boards share below the board
// level: the warm reset that keeps DRAM, the reset cause, the semihosting
// exit used under QEMU, and a correct io.ReadWriter over a tamago UART.
//
// Reference: i.MX 6ULL Applications Processor Reference Manual (IMX6ULLRM),
// Rev. 1, 11/2017, chapter 59 "Watchdog Timer (WDOG)".
package imx6

import (
	"time"

	"github.com/usbarmory/tamago/soc/nxp/imx6ul"
	"github.com/usbarmory/tamago/soc/nxp/wdog" // WDOG register layout (IMX6ULLRM 59.8)

	"github.com/hotrestart/tamago-hr/board/internal/reg"
)

// WarmReset resets the SoC through WDOG1 without touching the PMIC, so DRAM
// keeps its contents where the silicon allows it. QEMU 7.2 resets only when a
// single WCR write clears WDA and SRS together (hw/watchdog/wdt_imx2.c);
// tamago's helpers clear them one at a time, hence one 16-bit store here.
func WarmReset() {
	addr := uint32(imx6ul.WDOG1_BASE + wdog.WDOGx_WCR)
	wcr := reg.Read16(addr)
	wcr &^= 1<<wdog.WCR_WDA | 1<<wdog.WCR_SRS
	for {
		reg.Write16(addr, wcr)
	}
}

// ResetCause decodes WDOG1 WRSR (59.8.3). QEMU clears it on every reset, so
// an empty string is the norm there and the bank's breadcrumb decides.
func ResetCause() string {
	wrsr := reg.Read16(imx6ul.WDOG1_BASE + wdog.WDOGx_WRSR)
	switch {
	case wrsr&(1<<wdog.WRSR_TOUT) != 0:
		return "watchdog timeout"
	case wrsr&(1<<wdog.WRSR_SFTW) != 0:
		return "software reset"
	case wrsr&(1<<wdog.WRSR_POR) != 0:
		return "power-on"
	}
	return ""
}

// EnableWatchdog arms WDOG1 with a timeout in ms (0.5 s steps, 59.8.1 WT).
// Once enabled it cannot be stopped (WDE is write-once), on QEMU too.
func EnableWatchdog(ms int) { imx6ul.WDOG1.EnableTimeout(ms) }

// ServiceWatchdog reloads WDOG1 (59.5.2 "Servicing the watchdog").
func ServiceWatchdog(ms int) { imx6ul.WDOG1.Service(ms) }

// Watchdog service stamps: the generic timer's count (CNTPCT, ARM ARM
// B4.1.30) at the last service, kept in the save area header (+20 count,
// +28 magic), which no reset clears. QEMU's counter runs on across a
// system reset; where it restarts (silicon) the stamp is later than now and
// says nothing, and WRSR decides instead.
const (
	stampLo, stampHi, stampMagic = 5, 6, 7
	stampValid                   = 0x54534457 // "WDST"
)

// StampWatchdog records that WDOG1 was serviced now.
func StampWatchdog() {
	sa := saveArea()
	c := imx6ul.ARM.Counter()
	sa[stampMagic] = 0
	sa[stampLo], sa[stampHi] = uint32(c), uint32(c>>32)
	sa[stampMagic] = stampValid
}

// SinceWatchdogStamp returns the time from the last StampWatchdog, of this
// boot or an earlier one, to now; false when there is no stamp or the
// counter did not run on across the reset.
func SinceWatchdogStamp() (time.Duration, bool) {
	sa := saveArea()
	if sa[stampMagic] != stampValid {
		return 0, false
	}
	then := uint64(sa[stampHi])<<32 | uint64(sa[stampLo])
	now := imx6ul.ARM.Counter()
	if now < then || imx6ul.ARM.TimerMultiplier == 0 {
		return 0, false
	}
	return time.Duration(float64(now-then) * imx6ul.ARM.TimerMultiplier), true
}

// WatchdogPeriod is the timeout WDOG1 really runs for a request of ms:
// WCR.WT counts whole 0.5 s steps (59.8.1), rounding down.
func WatchdogPeriod(ms int) time.Duration {
	return time.Duration(ms/500*500) * time.Millisecond
}
