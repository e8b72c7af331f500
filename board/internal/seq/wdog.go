package seq

// WDOG registers (IMX6ULLRM 59.8), 16 bits wide.
const (
	WDOG1_BASE = 0x020bc000
	WCR        = 0x00 // 59.8.1 Watchdog Control Register
	WSR        = 0x02 // 59.8.2 Watchdog Service Register
	WRSR       = 0x04 // 59.8.3 Watchdog Reset Status Register

	WCR_WT  = 8 // 8 bits: timeout, (WT+1) × 0.5 s
	WCR_WDA = 5 // 0 asserts WDOG_B (WDOG1_ANY): the EVK's power-reset logic
	WCR_SRS = 4 // 0 asserts the software reset: the SoC only
	WCR_WDT = 3 // a timeout also asserts WDOG_B
	WCR_WDE = 2 // enable (write-once)

	// LongestMs is the longest timeout WT can hold: 0xff → 128 s.
	LongestMs = 128000
)

// wt is the WT field for a timeout in ms (59.8.1: 0.5 s steps from 0.5 s),
// clamped to the field.
func wt(ms int) uint16 {
	n := ms/500 - 1
	return uint16(min(max(n, 0), 0xff))
}

// WarmResetWCR is the one WCR store that resets the SoC and nothing else:
// SRS low with WDA kept high, so WDOG_B is not asserted (on the EVK it
// drives the board's power-reset logic, tamago board/nxp/mx6ullevk/pmic.go,
// Linux imx2_wdt_restart: internal or external, never both). QEMU 7.2
// resets only on a store that clears WDA and SRS together
// (hw/watchdog/wdt_imx2.c), so emulated, both go low.
func WarmResetWCR(wcr uint16, native bool) uint16 {
	wcr |= 1 << WCR_WDA
	wcr &^= 1 << WCR_SRS
	if !native {
		wcr &^= 1 << WCR_WDA
	}
	return wcr
}

// ArmWCR is the WCR value that arms the watchdog for ms in one store: WT,
// WDE, SRS and WDA high (nothing asserted) and WDT low (tamago's
// EnableTimeout sets WDT, so that a timeout also pulls WDOG_B, which on the
// EVK power-cycles the board and loses DRAM). A timeout then is a SoC reset
// that SRC_SCR makes warm.
func ArmWCR(wcr uint16, ms int) uint16 {
	wcr = wcr&^(0xff<<WCR_WT|1<<WCR_WDT) | wt(ms)<<WCR_WT
	return wcr | 1<<WCR_WDE | 1<<WCR_SRS | 1<<WCR_WDA
}

// ArmWatchdog arms WDOG at base with one WCR store (ArmWCR) and reloads its
// counter (Service). A WCR that already holds that value (a hot reboot's
// next boot, under QEMU) is not written again: see setWCR.
func ArmWatchdog(b Bus, base uint32, ms int) {
	wcr := b.Read16(base + WCR)
	setWCR(b, base, wcr, ArmWCR(wcr, ms))
	Service(b, base)
}

// ServiceWatchdog sets the timeout to ms and reloads the counter with the
// service sequence (59.5.2: 0x5555 then 0xaaaa into WSR). WCR is written
// only when the timeout changes (setWCR).
func ServiceWatchdog(b Bus, base uint32, ms int) {
	wcr := b.Read16(base + WCR)
	setWCR(b, base, wcr, wcr&^(0xff<<WCR_WT)|wt(ms)<<WCR_WT|1<<WCR_SRS|1<<WCR_WDA)
	Service(b, base)
}

// Service reloads WDOG's counter (59.5.2: 0x5555 then 0xaaaa into WSR),
// its timeout unchanged: the periodic service, which writes nothing else.
func Service(b Bus, base uint32) {
	b.Write16(base+WSR, 0x5555)
	b.Write16(base+WSR, 0xaaaa)
}

// setWCR stores want into WCR unless it already reads so (wcr). On silicon a
// store of the same value is harmless (WDE is write-once 1), but QEMU's
// model (hw/watchdog/wdt_imx2.c, 7.2 to 10.0) clears WDE on every WCR
// store after the one that set it, which switches the watchdog off for
// good: a service or a re-arm that rewrote WCR left a spinning actor
// unchecked.
func setWCR(b Bus, base uint32, wcr, want uint16) {
	if want != wcr {
		b.Write16(base+WCR, want)
	}
}
