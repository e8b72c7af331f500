package imx6

import (
	"io"
	"runtime"
	"time"

	"github.com/usbarmory/tamago/soc/nxp/imx6ul"
	"github.com/usbarmory/tamago/soc/nxp/uart"
)

// SoC is what every board of this project does the same way on an
// i.MX6UL/ULL; a board package embeds it and adds what differs (its name,
// console UART, LEDs and the bus masters to stop before a hot reboot). Its
// methods are the package's API, each in the file of its subject: resets
// and watchdog (wdog.go), hot reboot (hotboot.go), hot upgrade
// (upgrade.go), semihosting (semihosting*.go), clocks (snvs.go,
// handstamp.go), self-test (selftest.go).
type SoC struct {
	UART *uart.UART // console, written by printk from any context
	RX   *Receiver  // console input (NewReceiver of UART)
	// Quiesce stops the board's bus masters before another boot takes over
	// without a reset, so none writes into memory that boot initialises.
	Quiesce func()
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
func (SoC) Bank() (addr uint32, mem []byte) {
	return BankStart, MapBank(BankStart, BankStart+BankReserve)[:BankSize]
}

// Stage maps the hot upgrade's staging area (Normal non-cacheable, like
// the bank) and returns its address and its StageSize bytes.
func (SoC) Stage() (addr uint32, mem []byte) {
	return StageStart, MapBank(StageStart, StageStart+StageSize)
}

// ImageArea is where an image's loadable segments may go: from the start
// of DRAM to the end of the runtime's RAM (the save area starts there).
func (SoC) ImageArea() (start, end uint32) {
	s, e := runtime.MemRegion()
	return uint32(s), uint32(e)
}

// DiscardConsole starts dropping console input until the line has been
// quiet for quiet (Receiver.Discard).
func (s SoC) DiscardConsole(quiet time.Duration) { s.RX.Discard(quiet) }

// ConsoleDiscarding reports on the discard (Receiver.Discarding).
func (s SoC) ConsoleDiscarding() (on bool, dropped int) { return s.RX.Discarding() }

// ConsoleMidLine reports, lock and allocation free, whether the input
// received stops mid-line (Receiver.MidLine).
func (s SoC) ConsoleMidLine() bool { return s.RX.MidLine() }

// ContinueConsoleCut carries a line the previous boot cut
// (Receiver.ContinueCut).
func (s SoC) ContinueConsoleCut() { s.RX.ContinueCut() }
