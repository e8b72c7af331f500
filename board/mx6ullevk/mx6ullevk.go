// Package mx6ullevk is the NXP MCIMX6ULL-EVK board, and QEMU's mcimx6ul-evk
// machine that emulates it: console on UART1, 512 MiB DRAM.
//
// Reference: i.MX 6ULL Applications Processor Reference Manual, Rev. 1,
// 11/2017 (IMX6ULLRM).
package mx6ullevk

import (
	"errors"

	"github.com/usbarmory/tamago/board/nxp/mx6ullevk" // Hwinit1: SoC init, UART1
	"github.com/usbarmory/tamago/soc/nxp/imx6ul"

	"github.com/hotrestart/tamago-hr/board/internal/imx6"
)

// DRAM window (IMX6ULLRM 2.2, MMDC at 0x80000000; 512 MiB fitted) and the
// hot-reboot save area the image reserves above the runtime's RAM.
const (
	DRAMStart   = 0x80000000
	DRAMSize    = 0x20000000
	HotSaveSize = imx6.SaveSize
)

// Board is the EVK.
type Board struct{ imx6.SoC }

// Hardware is the board the image runs on.
var Hardware = Board{imx6.SoC{UART: imx6ul.UART1}}

// Name identifies the board in the banner.
func (Board) Name() string { return "mx6ullevk" }

// ColdReset resets the board after the caller discarded the bank. tamago's
// mx6ullevk.Reset asserts WDOG_B, which the EVK's power logic turns into a
// power cycle on silicon; QEMU resets only through the warm path.
func (b Board) ColdReset() {
	if b.Emulated() {
		b.WarmReset()
	}
	mx6ullevk.Reset()
}

// LED: the EVK has no user LED to drive.
func (Board) LED(name string, on bool) error { return errors.New("no user LEDs on the EVK") }

// HotReboot restarts the image in memory without a reset; it returns only
// when that is not possible. The EVK image runs no bus master (ENET and USB
// are unused), so there is nothing board-specific to stop.
func (Board) HotReboot(watchdogMs int) error { return imx6.HotReboot(nil, watchdogMs) }
