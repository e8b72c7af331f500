package seq

import "strings"

// System Reset Controller (IMX6ULLRM chapter 51, memory map 51.7) and the
// CCM's divider register (18.6.2).
const (
	SRC_BASE = 0x020d8000
	SRC_SCR  = SRC_BASE + 0x00 // 51.7.1 SRC Control Register
	SRC_SRSR = SRC_BASE + 0x08 // 51.7.3 SRC Reset Status Register (w1c)

	SCR_WARM_RESET_ENABLE = 0      // warm reset sources make a warm reset (else cold)
	SCR_WARM_RST_BYPASS   = 5      // 2 bits: CKIL cycles to wait for the MMDC acknowledge
	SCR_MASK_WDOG_RST     = 7      // 4 bits: 0b1010 wdog_rst_b not masked, 0b0101 masked
	wdogRstNotMasked      = 0b1010 // the reset value
	bypass64              = 0b11   // 64 CKIL cycles (32.768 kHz): 1.95 ms, then cold

	CCM_CCDR              = 0x020c4004 // 18.6.2 CCM Control Divider Register
	CCDR_MMDC_CH1_HS_MASK = 16         // mask the MMDC handshake (U-Boot MXC_CCM_CCDR_MMDC_CH1_HS_MASK)
)

// WarmResetSCR returns SRC_SCR set up so that a WDOG1 software reset keeps
// DRAM (IMX6ULLRM 51.6.1.2.5 "Warm reset"): warm_reset_enable on, WDOG
// resets unmasked, and the SRC waits up to 64 CKIL cycles for the MMDC to
// acknowledge that DRAM is in self-refresh before it turns the warm reset
// into a cold one (00 would wait for ever on a wedged MMDC). The other bits
// (core resets, self-clearing) are written as 0.
func WarmResetSCR(scr uint32) uint32 {
	const keep = 1<<SCR_WARM_RESET_ENABLE | 0b11<<SCR_WARM_RST_BYPASS | 0b1111<<SCR_MASK_WDOG_RST
	scr &= keep
	scr |= 1 << SCR_WARM_RESET_ENABLE
	scr = scr&^(0b11<<SCR_WARM_RST_BYPASS) | bypass64<<SCR_WARM_RST_BYPASS
	scr = scr&^(0b1111<<SCR_MASK_WDOG_RST) | wdogRstNotMasked<<SCR_MASK_WDOG_RST
	return scr
}

// ConfigureWarmReset makes the next WDOG1 software reset a warm one: the
// MMDC handshake unmasked in CCM_CCDR, so the SRC's request to put DRAM in
// self-refresh is acknowledged (U-Boot clear_mmdc_ch_mask: "Need to clear
// MMDC_CHx_MASK to make warm reset work"; the i.MX6UL has the one MMDC, on
// the CH1 handshake), then SRC_SCR as WarmResetSCR. A boot loader or a
// Linux that ran before may have cleared warm_reset_enable (both do, "for a
// more reliable restart"); this puts it back for as long as this firmware
// runs.
func ConfigureWarmReset(b Bus) {
	b.Write32(CCM_CCDR, b.Read32(CCM_CCDR)&^(1<<CCDR_MMDC_CH1_HS_MASK))
	b.Write32(SRC_SCR, WarmResetSCR(b.Read32(SRC_SCR)))
}

// SRC_SRSR bits (IMX6ULLRM 51.7.3): every reset source since the bits were
// last cleared (write 1 to clear), warm_boot when the last reset was warm.
var srsrBits = []struct {
	bit  uint
	name string
}{
	{0, "power-on (ipp_reset_b)"},
	{2, "CSU"},
	{3, "user reset (ipp_user_reset_b)"},
	{4, "watchdog (wdog_rst_b)"},
	{5, "JTAG HIGH-Z"},
	{6, "JTAG software"},
	{7, "WDOG3"},
	{8, "temperature sensor"},
	{16, "warm boot"},
}

// DecodeSRSR names the bits set in SRC_SRSR, "" for none.
func DecodeSRSR(srsr uint32) string {
	var names []string
	for _, b := range srsrBits {
		if srsr&(1<<b.bit) != 0 {
			names = append(names, b.name)
		}
	}
	return strings.Join(names, ", ")
}

// TakeResetStatus reads SRC_SRSR and clears what it read (w1c), so that the
// next boot sees only its own reset's sources, as U-Boot's get_reset_cause.
func TakeResetStatus(b Bus) uint32 {
	v := b.Read32(SRC_SRSR)
	b.Write32(SRC_SRSR, v)
	return v
}
