package kernel

import (
	"io"
	"net"
	"net/netip"
	"time"

	"github.com/hotrestart/tamago-hr/board/loadable"
)

// Board is what the kernel needs of the board it runs on. Each board package
// satisfies it (board/mx6ullevk, board/mk2) and the build tag (TARGET in the
// Makefile) links exactly one (board_*.go). The board, not the kernel, places
// the persistent bank and the hot-reboot save area, since its cpuinit
// assembly relies on them.
type Board interface {
	Name() string   // for the banner
	Emulated() bool // under QEMU
	Console
	Resets
	Watchdog
	Network
	Upgrader
	Clock

	// Bank maps the persistent bank and returns its physical address and
	// its pmm.rambankSize bytes (whole 4 KiB pages). No boot or reset of
	// the board writes it (README "RAM layout").
	Bank() (addr uint32, mem []byte)
	// LED drives a user LED ("white", "blue"); an error where there is none.
	LED(name string, on bool) error
	// RestoreReport says what cpuinit did with the image's writable data at
	// this boot; failed: a hot restore did not pass its check.
	RestoreReport() (report string, failed bool)
	// BSSCanary is a BSS word that reads 0 when cpuinit zeroed the BSS.
	BSSCanary() uint32
}

// Console is the serial console.
type Console interface {
	// StartConsole starts taking input: what is typed from then on is
	// kept for the console (type-ahead), none of it lost to the FIFO.
	StartConsole()
	// Console reads (blocking until a byte arrives) and writes the UART.
	// Its reader may also count losses (Lost() uint64; kernel/console).
	Console() io.ReadWriter
	// ConsoleStats writes the receiver's counters on one line (stats).
	ConsoleStats(w io.Writer)
	// ConsoleTx writes one byte from any context without allocating (printk).
	ConsoleTx(c byte)
	// DiscardConsole starts dropping what is typed, from now until the
	// line has been quiet for quiet; a line then left half typed, or the
	// one the previous boot cut (ContinueConsoleCut), is refused.
	DiscardConsole(quiet time.Duration)
	// ConsoleDiscarding says whether the discard still runs and how many
	// characters it dropped (ConsoleMidLine: where the input stops).
	ConsoleDiscarding() (on bool, dropped int)
	// ConsoleMidLine reports whether the input received stops in the
	// middle of a line, read by the console or still buffered. It neither
	// locks nor allocates: the fault path asks it.
	ConsoleMidLine() bool
	// ContinueConsoleCut says that the previous boot went down with a
	// line half typed: unless an Enter has arrived since, the input stops
	// mid-line, and the rest of that line is refused.
	ContinueConsoleCut()
}

// Resets are the ways the board restarts.
type Resets interface {
	// HotReboot restarts the image in memory without a reset, after
	// stopping the board's bus masters; it returns only when it cannot.
	HotReboot(watchdogMs int) error
	// WarmReset resets the SoC keeping DRAM (WDOG1); it does not return.
	WarmReset()
	// ColdReset power-cycles where the board can; DRAM is lost.
	ColdReset()
	// Exit ends an emulated run with a status (semihosting); false on silicon.
	Exit(code int) bool
	// ResetCause is what the SoC says about the last reset, "" when nothing.
	ResetCause() string
}

// Watchdog is WDOG1 and the service stamp that outlives a reset.
type Watchdog interface {
	EnableWatchdog(ms int)
	ServiceWatchdog(ms int)
	StampWatchdog()
	// SinceWatchdogStamp is the time since the last StampWatchdog, if known.
	SinceWatchdogStamp() (time.Duration, bool)
	// WatchdogPeriod is the timeout WDOG1 really runs for a request of ms.
	WatchdogPeriod(ms int) time.Duration
}

// Upgrader is what a hot upgrade needs of the board (hotupgrade.go,
// README "Hot upgrade").
type Upgrader interface {
	// Stage maps the staging area (kern.upgradeArea MiB of DRAM that no
	// boot writes) and returns its physical address and memory.
	Stage() (addr uint32, mem []byte)
	// ImageArea is where a new image's loadable segments may go.
	ImageArea() (start, end uint32)
	// RunningImage is the running image as it was loaded, rebuilt from
	// memory, and its entry point; an error when it cannot be (hot
	// reboots off: no pristine copy of its data).
	RunningImage() (entry uint32, segs []loadable.Segment, err error)
	// CopyRoutine is the position-independent routine that copies a
	// staged image into place and enters it (its machine code).
	CopyRoutine() ([]byte, error)
	// BootStaged stops the board as HotReboot does and runs the copy
	// routine placed at code with the staged descriptor at desc; it does
	// not return.
	BootStaged(watchdogMs int, code, desc uint32)
	// ReadHostFile reads a file of the emulator's host (semihosting) in
	// chunks, at most max bytes; an error on silicon.
	ReadHostFile(path string, max, chunk int, progress func(done, total int)) ([]byte, error)
}

// Clock is the board's real-time clock and the runtime's clock
// (kernel/wallclock: how the kernel sets the wall clock from them).
type Clock interface {
	// RTC reads the real-time clock and names its source: under QEMU the
	// host's clock (semihosting SYS_TIME, whole seconds), on silicon the
	// SNVS secure real-time counter.
	RTC() (t time.Time, source string, err error)
	// SetRTC sets the real-time clock to t (whole seconds); an error where
	// the board cannot (under QEMU the clock is the host's).
	SetRTC(t time.Time) error
	// SetTime sets the runtime's clock, which time.Now and every timer
	// read, to ns since the Unix epoch.
	SetTime(ns int64)
}

// Network is the board's network link for the SSH console.
type Network interface {
	// Listen brings up the link with the board at addr and MAC mac (peer:
	// the host's MAC, for point-to-point links) and returns a TCP listener
	// on port; via names the link for the log ("USB", "ENET1"). It is
	// called once; an error says why there is no link.
	Listen(addr netip.Prefix, mac, peer net.HardwareAddr, port uint16) (l net.Listener, via string, err error)
	// NetStats writes the link's counters (the `net` console command).
	NetStats(w io.Writer) error
}
