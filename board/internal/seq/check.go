package seq

import "fmt"

// CheckWarmReset reads back what ConfigureWarmReset wrote: an error names
// the first setting that would make a WDOG1 reset cold (something wrote
// SRC_SCR or CCM_CCDR after boot).
func CheckWarmReset(b Bus) error {
	scr, ccdr := b.Read32(SRC_SCR), b.Read32(CCM_CCDR)
	switch {
	case scr&(1<<SCR_WARM_RESET_ENABLE) == 0:
		return fmt.Errorf("SRC_SCR 0x%08x: warm_reset_enable is off, every reset is cold", scr)
	case scr>>SCR_MASK_WDOG_RST&0b1111 == 0b0101:
		return fmt.Errorf("SRC_SCR 0x%08x: WDOG resets are masked", scr)
	case ccdr&(1<<CCDR_MMDC_CH1_HS_MASK) != 0:
		return fmt.Errorf("CCM_CCDR 0x%08x: the MMDC handshake is masked, DRAM is not put in self-refresh", ccdr)
	}
	return nil
}

// CheckWatchdog says what is wrong with WCR for a watchdog armed for ms:
// not enabled, another timeout, or WDT set (a timeout would pull WDOG_B,
// which on the EVK power-cycles the board).
func CheckWatchdog(wcr uint16, ms int) error {
	switch {
	case wcr&(1<<WCR_WDE) == 0:
		return fmt.Errorf("WCR 0x%04x: not enabled", wcr)
	case wcr>>WCR_WT != wt(ms):
		return fmt.Errorf("WCR 0x%04x: timeout %d ms, want %d ms", wcr, (int(wcr>>WCR_WT)+1)*500, (int(wt(ms))+1)*500)
	case wcr&(1<<WCR_WDT) != 0:
		return fmt.Errorf("WCR 0x%04x: WDT set, a timeout also asserts WDOG_B", wcr)
	}
	return nil
}
