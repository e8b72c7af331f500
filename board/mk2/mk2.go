// Package mk2 is the WithSecure USB armory Mk II (i.MX6ULL, 512 MiB):
// console on UART2 (debug accessory), white and blue LEDs, USB1 as a bus
// master. Its warm reset is WDOG1's — never tamago's mk2.Reset, which
// power-cycles the board through the PMIC and loses DRAM.
//
// Reference: i.MX 6ULL Applications Processor Reference Manual, Rev. 1,
// 11/2017 (IMX6ULLRM).
package mk2

import (
	"github.com/usbarmory/tamago/board/usbarmory/mk2" // Hwinit1: SoC init, UART2, LEDs
	"github.com/usbarmory/tamago/soc/nxp/imx6ul"

	"github.com/hotrestart/tamago-hr/board/internal/imx6"
	"github.com/hotrestart/tamago-hr/board/internal/reg"
)

// USB1 controller (IMX6ULLRM 56.6.33 USB Command Register, USB_nUSBCMD).
const (
	USB1_USBCMD = 0x02184140
	USBCMD_RS   = 0 // run/stop
	USBCMD_RST  = 1 // controller reset
)

// Board is the USB armory Mk II.
type Board struct{ imx6.SoC }

// Hardware is the board the image runs on.
var Hardware = Board{imx6.SoC{UART: imx6ul.UART2, RX: imx6.NewReceiver(imx6ul.UART2), Quiesce: quiesce}}

// Name identifies the board in the banner.
func (Board) Name() string { return "usbarmory-mk2" }

// ColdReset power-cycles the board through the PMIC (tamago's mk2.Reset):
// DRAM is lost, as a cold reboot means. QEMU has no PMIC to cut power, so
// there it is a warm reset of a bank already discarded by the caller.
func (b Board) ColdReset() {
	if b.Emulated() {
		b.WarmReset()
	}
	mk2.Reset()
}

// LED drives the white (alive heartbeat) or blue (restart in progress) LED.
func (Board) LED(name string, on bool) error { return mk2.LED(name, on) }

// quiesce stops the bus masters before another boot takes over. USB1 DMAs
// descriptors and packets: it is stopped and reset, so it cannot write into
// memory the next boot is initialising.
func quiesce() {
	reg.Write32(USB1_USBCMD, 1<<USBCMD_RST) // RS=0 and reset in one store
}
