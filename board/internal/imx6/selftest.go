package imx6

import (
	"errors"
	"fmt"
	"strings"

	"github.com/usbarmory/tamago/soc/nxp/imx6ul"

	"github.com/hotrestart/tamago-hr/board/internal/reg"
	"github.com/hotrestart/tamago-hr/board/internal/seq"
)

// maxUncached is issue #24's bound on what a boot writes with the caches off.
const maxUncached = 1 << 20

// SelfTest runs the checks a running board can make on itself and reports
// each to line: name, what was found, and an error when it fails. What
// needs a reset or an outside clock (DRAM kept across a reset, the
// watchdog's real period) is left to the README's "On a real board".
func (s SoC) SelfTest(watchdogMs int, line func(name, detail string, err error)) {
	cpu := s.CPU()
	var err error
	if !strings.HasPrefix(cpu, "Cortex-A7 ") {
		err = fmt.Errorf("%s, want a Cortex-A7", cpu)
	}
	line("cpu", cpu, err)

	line("warm reset", "SRC_SCR warm_reset_enable, WDOG resets unmasked, MMDC handshake on", seq.CheckWarmReset(mmio{}))

	wcr := reg.Read16(imx6ul.WDOG1_BASE + seq.WCR)
	detail := fmt.Sprintf("WCR 0x%04x: armed for %v, a timeout resets the SoC only", wcr, s.WatchdogPeriod(watchdogMs))
	if !imx6ul.Native && wcr&(1<<seq.WCR_WDE) == 0 {
		// QEMU 7.2 (hw/watchdog/wdt_imx2.c) rebuilds a WCR write's locked
		// bits from WICR instead of WCR, so WDE reads 0 after the second
		// write; on silicon WDE is write-once and reads back
		wcr |= 1 << seq.WCR_WDE
		detail += " (WDE not readable under QEMU 7.2)"
	}
	line("watchdog", detail, seq.CheckWatchdog(wcr, watchdogMs))

	err = nil
	if c := s.BSSCanary(); c != 0 {
		err = fmt.Errorf("canary 0x%08x: cpuinit did not zero the BSS", c)
	}
	line("bss", "zeroed at boot", err)

	report, failed := s.RestoreReport()
	err = nil
	switch {
	case failed:
		err = errors.New(report)
	case strings.HasPrefix(report, "off:"):
		err = fmt.Errorf("hot reboot %s", report)
	}
	line("hot reboot", report, err)

	sa := saveArea()
	n := sa.copied + sa.zeroed
	err = nil
	if n >= maxUncached {
		err = fmt.Errorf("%d bytes written with caches off at this boot, the bound is %d", n, maxUncached)
	}
	line("boot cost", fmt.Sprintf("%d bytes written with caches off at this boot", n), err)

	cause := s.ResetCause()
	if cause == "" {
		cause = "none recorded (QEMU)"
	}
	line("reset cause", cause, nil)
}
