package imx6

import (
	"time"

	"github.com/usbarmory/tamago/soc/nxp/imx6ul"
	"github.com/usbarmory/tamago/soc/nxp/uart"
)

// SoC is what every board of this project does the same way on an
// i.MX6UL/ULL; a board package embeds it and adds what differs (its name,
// console UART, LEDs and the bus masters to stop before a hot reboot).
type SoC struct {
	UART *uart.UART // console
}

// Console is the serial console as an io.ReadWriter.
func (s SoC) Console() Serial { return Serial{UART: s.UART} }

// ConsoleTx writes one byte from any context, allocation free (printk).
func (s SoC) ConsoleTx(c byte) { s.UART.Tx(c) }

// Emulated reports whether the firmware runs under QEMU.
func (SoC) Emulated() bool { return !imx6ul.Native }

// MapBank maps the persistent bank [start, end) and returns it.
func (SoC) MapBank(start, end uint32) []byte { return MapBank(start, end) }

// WarmReset resets the SoC and keeps DRAM; it does not return.
func (SoC) WarmReset() { WarmReset() }

// ResetCause returns what WDOG1 says about the last reset, or "".
func (SoC) ResetCause() string { return ResetCause() }

// Exit ends an emulated run with a status; false on silicon.
func (SoC) Exit(code int) bool { return Exit(code) }

// EnableWatchdog arms WDOG1: a starved scheduler resets the SoC.
func (SoC) EnableWatchdog(ms int) { EnableWatchdog(ms) }

// ServiceWatchdog reloads WDOG1.
func (SoC) ServiceWatchdog(ms int) { ServiceWatchdog(ms) }

// RestoreReport says what cpuinit did with the writable data at this boot
// (see RestoreReport).
func (SoC) RestoreReport() (string, bool) { return RestoreReport() }

// BSSCanary is a BSS word that reads 0 when cpuinit zeroed the BSS.
func (SoC) BSSCanary() uint32 { return BSSCanary() }

// StampWatchdog records the time of a WDOG1 service where resets keep it.
func (SoC) StampWatchdog() { StampWatchdog() }

// SinceWatchdogStamp is the time since the last service stamp, if known.
func (SoC) SinceWatchdogStamp() (time.Duration, bool) { return SinceWatchdogStamp() }

// WatchdogPeriod is the timeout WDOG1 really runs for a request of ms.
func (SoC) WatchdogPeriod(ms int) time.Duration { return WatchdogPeriod(ms) }

// RunningImage describes the running image as loaded, for a rollback.
func (SoC) RunningImage() (uint32, []Segment, error) { return RunningImage() }

// CopyRoutine is the position-independent copy routine's code.
func (SoC) CopyRoutine() ([]byte, error) { return Routine() }

// ReadHostFile reads a file of the emulator's host (semihosting).
func (SoC) ReadHostFile(path string, max, chunk int, progress func(done, total int)) ([]byte, error) {
	return ReadHostFile(path, max, chunk, progress)
}
