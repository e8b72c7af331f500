// Package mk2 is the WithSecure USB armory Mk II (i.MX6ULL, 512 MiB): console
// on UART2 (debug accessory), warm reset through WDOG1 — never mk2.Reset,
// which power-cycles the board through the PMIC and loses DRAM — and the
// white/blue LEDs.
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

// Name identifies the board in the banner and the `bank` command.
const Name = "usbarmory-mk2"

// DRAM window (IMX6ULLRM 2.2, MMDC at 0x80000000; 512 MiB fitted).
const (
	DRAMStart = 0x80000000
	DRAMSize  = 0x20000000
)

// Console is the UART2 serial console.
var Console = imx6.Serial{UART: imx6ul.UART2}

// ConsoleTx writes one byte from any context, allocation free (printk).
func ConsoleTx(c byte) { imx6ul.UART2.Tx(c) }

// Emulated reports whether the firmware runs under QEMU.
func Emulated() bool { return !imx6ul.Native }

// MapBank maps the persistent bank [start, end) and returns it.
func MapBank(start, end uint32) []byte { return imx6.MapBank(start, end) }

// WarmReset resets the SoC through WDOG1 and keeps DRAM where the silicon
// allows it (WDOG1_B is not muxed to the PMIC); it does not return.
func WarmReset() { imx6.WarmReset() }

// ResetCause returns what WDOG1 WRSR says about the last reset, or "".
func ResetCause() string { return imx6.ResetCause() }

// Exit ends an emulated run with a status; false on silicon.
func Exit(code int) bool { return imx6.Exit(code) }

// LED drives the white (alive heartbeat) or blue (restart in progress) LED.
func LED(name string, on bool) error { return mk2.LED(name, on) }

// EnableWatchdog arms WDOG1: a starved scheduler resets the SoC (DRAM kept).
func EnableWatchdog(ms int) { imx6.EnableWatchdog(ms) }

// ServiceWatchdog reloads WDOG1.
func ServiceWatchdog(ms int) { imx6.ServiceWatchdog(ms) }

// HotSaveSize is the save area the image reserves above the runtime's RAM.
const HotSaveSize = imx6.SaveSize

// USB1 controller (IMX6ULLRM 56.6.33 USB Command Register, USB_nUSBCMD).
const (
	USB1_USBCMD = 0x02184140
	USBCMD_RS   = 0 // run/stop
	USBCMD_RST  = 1 // controller reset
)

// HotReboot restarts the image in memory without a reset; it returns only
// when that is not possible. The USB controller is a bus master (it DMAs
// descriptors and packets): it is stopped and reset first, so it cannot
// write into memory the next boot is initialising.
func HotReboot(watchdogMs int) error {
	return imx6.HotReboot(func() {
		reg.Write32(USB1_USBCMD, 1<<USBCMD_RST) // RS=0 and reset in one store
	}, watchdogMs)
}
