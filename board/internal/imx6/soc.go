package imx6

import (
	"io"
	"runtime"
	"time"

	"github.com/usbarmory/tamago/soc/nxp/imx6ul"
	"github.com/usbarmory/tamago/soc/nxp/uart"

	"github.com/hotrestart/tamago-hr/board/loadable"
)

// SoC is what every board of this project does the same way on an
// i.MX6UL/ULL; a board package embeds it and adds what differs (its name,
// console UART, LEDs and the bus masters to stop before a hot reboot).
type SoC struct {
	UART       *uart.UART // console, written by printk from any context
	RX         *Receiver  // console input (NewReceiver of UART)
	BankStart  uint32     // persistent bank address, from the board's layout.go
	StageStart uint32     // upgrade staging area address, likewise
	// Quiesce stops the board's bus masters before another boot takes over
	// without a reset, so none writes into memory that boot initialises.
	Quiesce func()
}

// HotReboot restarts the image in memory without a reset; it returns only
// when that is not possible.
func (s SoC) HotReboot(watchdogMs int) error {
	return HotReboot(s.Quiesce, s.UART.Base, watchdogMs)
}

// BootStaged hands the board over to a staged image through the copy
// routine at code (see BootStaged); it does not return.
func (s SoC) BootStaged(watchdogMs int, code, desc uint32) {
	BootStaged(s.Quiesce, s.UART.Base, watchdogMs, code, desc)
}

// StartConsole starts draining the console's receive FIFO: characters
// typed from then on are kept until the console reads them.
func (s SoC) StartConsole() { s.RX.Start() }

// Console is the serial console as an io.ReadWriter (Serial).
func (s SoC) Console() io.ReadWriter {
	s.RX.Start()
	return Serial{s.RX}
}

// ConsoleStats writes the console receiver's counters.
func (s SoC) ConsoleStats(w io.Writer) { s.RX.WriteStats(w) }

// ConsoleTx writes one byte from any context, allocation free (printk).
func (s SoC) ConsoleTx(c byte) { s.UART.Tx(c) }

// Emulated reports whether the firmware runs under QEMU.
func (SoC) Emulated() bool { return !imx6ul.Native }

// Bank maps the persistent bank and returns its address and its
// pmm.rambankSize bytes in whole pages (layout.go).
func (s SoC) Bank() (addr uint32, mem []byte) {
	return s.BankStart, MapBank(s.BankStart, s.BankStart+BankReserve)[:BankSize]
}

// Stage maps the hot upgrade's staging area (Normal non-cacheable, like
// the bank) and returns its address and its StageSize bytes.
func (s SoC) Stage() (addr uint32, mem []byte) {
	return s.StageStart, MapBank(s.StageStart, s.StageStart+StageSize)
}

// ImageArea is where an image's loadable segments may go: from the start
// of DRAM to the end of the runtime's RAM (the save area starts there).
func (SoC) ImageArea() (start, end uint32) {
	s, e := runtime.MemRegion()
	return uint32(s), uint32(e)
}

// DiscardConsole starts dropping console input until the line has been
// quiet for quiet (Receiver.Discard).
func (s SoC) DiscardConsole(quiet time.Duration, midLine bool) { s.RX.Discard(quiet, midLine) }

// ConsoleDiscarding reports on the discard (Receiver.Discarding).
func (s SoC) ConsoleDiscarding() (on bool, dropped int, midLine bool) { return s.RX.Discarding() }

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

// BootCosts reports the bytes written with the caches off at this boot.
func (SoC) BootCosts() string { return BootCosts() }

// SinceHandOver is this boot on the board clock from the previous boot's
// hand-over (handed false: from the counter's start): to cpuinit, through
// it, from its end to the board package's init, and from there to now.
// Read once.
func (SoC) SinceHandOver() (toEntry, cpuinit, toInit, toNow time.Duration, handed bool) {
	l := SinceHandOver()
	return l.ToEntry, l.Cpuinit, l.ToInit, l.ToNow, l.Handed
}

// SelfTest runs the board's self-checks (see SelfTest).
func (SoC) SelfTest(watchdogMs int, line func(name, detail string, err error)) {
	SelfTest(watchdogMs, line)
}

// CPU names the core and its revision (MIDR).
func (SoC) CPU() string { return CPU() }

// RunningImage describes the running image as loaded, for a rollback.
func (SoC) RunningImage() (uint32, []loadable.Segment, error) { return RunningImage() }

// CopyRoutine is the position-independent copy routine's code.
func (SoC) CopyRoutine() ([]byte, error) { return Routine() }

// ReadHostFile reads a file of the emulator's host (semihosting).
func (SoC) ReadHostFile(path string, max, chunk int, progress func(done, total int)) ([]byte, error) {
	return ReadHostFile(path, max, chunk, progress)
}
