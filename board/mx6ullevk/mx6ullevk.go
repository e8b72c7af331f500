// Package mx6ullevk is the NXP MCIMX6ULL-EVK board, and QEMU's mcimx6ul-evk
// machine that emulates it: console on UART1, 512 MiB DRAM, warm reset
// through WDOG1.
//
// Reference: i.MX 6ULL Applications Processor Reference Manual, Rev. 1,
// 11/2017 (IMX6ULLRM).
package mx6ullevk

import (
	"errors"

	_ "github.com/usbarmory/tamago/board/nxp/mx6ullevk" // Hwinit1: SoC init, UART1
	"github.com/usbarmory/tamago/soc/nxp/imx6ul"

	"github.com/hotrestart/tamago-hr/board/internal/imx6"
)

// Name identifies the board in the banner and the `bank` command.
const Name = "mx6ullevk"

// DRAM window (IMX6ULLRM 2.2, MMDC at 0x80000000; 512 MiB fitted).
const (
	DRAMStart = 0x80000000
	DRAMSize  = 0x20000000
)

// Console is the UART1 serial console.
var Console = imx6.Serial{UART: imx6ul.UART1}

// ConsoleTx writes one byte from any context, allocation free (printk).
func ConsoleTx(c byte) { imx6ul.UART1.Tx(c) }

// Emulated reports whether the firmware runs under QEMU.
func Emulated() bool { return !imx6ul.Native }

// MapBank maps the persistent bank [start, end) and returns it.
func MapBank(start, end uint32) []byte { return imx6.MapBank(start, end) }

// WarmReset resets the SoC and keeps DRAM; it does not return.
func WarmReset() { imx6.WarmReset() }

// ResetCause returns what the hardware says about the last reset, or "".
func ResetCause() string { return imx6.ResetCause() }

// Exit ends an emulated run with a status; false on silicon.
func Exit(code int) bool { return imx6.Exit(code) }

// LED has no user LED to drive on this board.
func LED(name string, on bool) error { return errors.New("no LEDs on " + Name) }

// EnableWatchdog arms WDOG1: a starved scheduler resets the SoC (DRAM kept).
func EnableWatchdog(ms int) { imx6.EnableWatchdog(ms) }

// ServiceWatchdog reloads WDOG1.
func ServiceWatchdog(ms int) { imx6.ServiceWatchdog(ms) }

// HotSaveSize is the save area the image reserves above the runtime's RAM.
const HotSaveSize = imx6.SaveSize

// HotReboot restarts the image in memory without a reset; it returns only
// when that is not possible. No bus master runs on this board's image
// (ENET and USB are unused), so there is nothing board-specific to stop.
func HotReboot(watchdogMs int) error { return imx6.HotReboot(nil, watchdogMs) }
