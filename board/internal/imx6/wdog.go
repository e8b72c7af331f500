// Package imx6 holds what both i.MX6UL/ULL boards share below the board
// level, as the methods of SoC, which each board embeds: the one memory
// layout (layout.go), the warm reset that keeps DRAM, the reset cause and
// the watchdog, the hot reboot and its save area (savearea.go), the hot
// upgrade's staged boot, the semihosting exit and file read used under
// QEMU, the real-time clock, and a correct io.ReadWriter over a tamago
// UART. It imports tamago and the leaves board/tunables and board/loadable,
// never the kernel.
//
// Reference: i.MX 6ULL Applications Processor Reference Manual (IMX6ULLRM),
// Rev. 1, 11/2017, chapter 59 "Watchdog Timer (WDOG)".
package imx6

import (
	"time"

	"github.com/usbarmory/tamago/soc/nxp/imx6ul"
	"github.com/usbarmory/tamago/soc/nxp/wdog" // WDOG register layout (IMX6ULLRM 59.8)

	"github.com/hotrestart/tamago-hr/board/internal/reg"
	"github.com/hotrestart/tamago-hr/board/internal/seq"
)

// resetStatus is SRC_SRSR as this boot found it, read and cleared once at
// package initialisation (set once, read only after).
var resetStatus uint32

func init() {
	stampInit()
	// silicon only: QEMU 7.2 models neither SRSR's sources nor the warm
	// reset, and its SRSR reads the same at every boot
	if imx6ul.Native {
		resetStatus = seq.TakeResetStatus(mmio{})
	}
	seq.ConfigureWarmReset(mmio{})
}

// WarmReset resets the SoC through WDOG1's software reset without touching
// WDOG_B (seq.WarmResetWCR), so DRAM keeps its contents: SRC_SCR, set at
// boot (seq.ConfigureWarmReset), makes it a warm reset that puts DRAM in
// self-refresh first. The store repeats until the reset comes, which also
// covers i.MX6 erratum ERR004346 (SRS must be written twice within one
// 32 kHz period, Linux imx2_wdt_restart).
func (SoC) WarmReset() {
	addr := uint32(imx6ul.WDOG1_BASE + wdog.WDOGx_WCR)
	wcr := seq.WarmResetWCR(reg.Read16(addr), imx6ul.Native)
	stampHandOver()
	for {
		reg.Write16(addr, wcr)
	}
}

// ResetCause decodes WDOG1 WRSR (59.8.3), then, on silicon, SRC_SRSR
// (51.7.3) as found at boot after "; SRC: ". QEMU clears WRSR on every
// reset and models no SRSR, so an empty string is the norm there and the
// bank's breadcrumb decides.
func (SoC) ResetCause() string {
	wrsr := reg.Read16(imx6ul.WDOG1_BASE + wdog.WDOGx_WRSR)
	cause := ""
	switch {
	case wrsr&(1<<wdog.WRSR_TOUT) != 0:
		cause = "watchdog timeout"
	case wrsr&(1<<wdog.WRSR_SFTW) != 0:
		cause = "software reset"
	case wrsr&(1<<wdog.WRSR_POR) != 0:
		cause = "power-on"
	}
	if src := seq.DecodeSRSR(resetStatus); src != "" {
		if cause != "" {
			cause += "; "
		}
		cause += "SRC: " + src
	}
	return cause
}

// EnableWatchdog arms WDOG1 with a timeout in ms (0.5 s steps, 59.8.1 WT)
// in one WCR store without WDT, so a timeout resets the SoC (warm) and does
// not pull WDOG_B (a power cycle on the EVK). Once enabled it cannot be
// stopped (WDE is write-once), on QEMU too.
func (SoC) EnableWatchdog(ms int) { seq.ArmWatchdog(mmio{}, imx6ul.WDOG1_BASE, ms) }

// ServiceWatchdog reloads WDOG1 (59.5.2 "Servicing the watchdog"), writing
// WCR only when ms changes its timeout (seq.ServiceWatchdog; not tamago's
// WDOG.Service, which rewrites WCR every time and so, under QEMU, switches
// the watchdog off).
func (SoC) ServiceWatchdog(ms int) { seq.ServiceWatchdog(mmio{}, imx6ul.WDOG1_BASE, ms) }

// StampWatchdog records that WDOG1 was serviced now: the generic timer's
// count (CNTPCT, ARM ARM B4.1.30) in the save area header (saveHeader.wdog),
// which no reset clears. QEMU's counter runs on across a system reset;
// where it restarts (silicon) the stamp is later than now and says
// nothing, and WRSR decides instead.
func (SoC) StampWatchdog() { saveArea().wdog.setNow(stampValid) }

// SinceWatchdogStamp returns the time from the last StampWatchdog, of this
// boot or an earlier one, to now; false when there is no stamp or the
// counter did not run on across the reset.
func (SoC) SinceWatchdogStamp() (time.Duration, bool) {
	sa := saveArea()
	if sa.wdog.magic != stampValid {
		return 0, false
	}
	then := sa.wdog.at.get()
	now := imx6ul.ARM.Counter()
	if now < then || imx6ul.ARM.TimerMultiplier == 0 {
		return 0, false
	}
	return time.Duration(float64(now-then) * imx6ul.ARM.TimerMultiplier), true
}

// WatchdogPeriod is the timeout WDOG1 really runs for a request of ms:
// WCR.WT counts whole 0.5 s steps (59.8.1), rounding down.
func (SoC) WatchdogPeriod(ms int) time.Duration {
	return time.Duration(ms/500*500) * time.Millisecond
}
