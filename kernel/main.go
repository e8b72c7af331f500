package kernel

import (
	"fmt"
	"io"
	"time"

	"github.com/hotrestart/tamago-hr/actors"
	"github.com/hotrestart/tamago-hr/kernel/bootrec"
	"github.com/hotrestart/tamago-hr/kernel/console"
	"github.com/hotrestart/tamago-hr/kernel/crashlog"
	"github.com/hotrestart/tamago-hr/pmm"
)

// Config is what a firmware image brings to the kernel.
type Config struct {
	// Programs registers the image's programs, what `arun PROGRAM` runs
	// (spec: arun); nil registers none. An error stops no boot: it is
	// printed and the console still serves.
	Programs func(*actors.Programs) error
	// Commands are console commands added to the built-in ones; a name
	// already taken is reported at boot and that command left out.
	Commands []console.Cmd
	// Autostart lists the groups started at boot, in order, after the
	// controller and before the startup script, each once per bank: all
	// on a cold boot (a new bank); on a warm boot only the entries an
	// upgrade added, since the others come back from the bank, so none is
	// started twice (runAutostart; the bank's autostart record lists what
	// was started). The startup script stays for the operator's additions.
	Autostart []Start
}

// system is the running system: what boot builds from the board and the
// Config, step by step (boot.go), and what the console commands, the ways
// down and the watchdog act on.
type system struct {
	board   Board    // the board boot was given
	up      upgrades // the hot upgrade's state (hotupgrade.go)
	bank    *pmm.Bank
	bankRep pmm.OpenReport
	// where the board placed the bank and its size in bytes (Board.Bank)
	bankAddr uint32
	bankSize int
	recs     *bootrec.Store // the boot record, guarded
	prevLog  crashlog.Log
	booted   time.Time
	clock0   uint64        // persistent clock at this boot's start
	wall     wallClock     // the wall clock: RTC and kept correction (clock.go)
	start    bootrec.Start // how this boot came about (bootrec.Record.Begin)

	shell *console.Shell
	out   console.Log // what actors and the controller print, to every session
	ctl   *actors.Controller
	progs *actors.Programs
	// register fills progs (Config.Programs)
	register func(*actors.Programs) error

	imageCmds []string // names of Config.Commands in the table
	autostart []Start  // Config.Autostart

	restarting chan struct{} // closed by the first way down (goDown's latch)
	// consoleClosers close the consoles at the end of a way down
	// (onConsolesClose)
	consoleClosers []func(what string, said bool)

	recordLost bool     // a warm bank's boot record was damaged: counters start again
	laps       bootLaps // this boot on the board clock (silicon.go)
	// quit stops this system's watchdog service; only the host tests,
	// which boot many systems in one process, close it
	quit chan struct{}
}

// Main boots the firmware with cfg on the board the build tag selected and
// serves the serial console; it never returns. It must be called once,
// from the image's main function.
func Main(cfg Config) {
	boot(hw, cfg, crlf{}).serve()
}

// serve serves the console on the UART for ever.
func (k *system) serve() {
	s := console.NewSerialSession(consoleRW{consoleWriter{k.board, &console.Plain{}}})
	k.out.AttachSerial(s.Out())
	s.ServeForever(k.shell, crlf{}, func() { time.Sleep(consoleRetry) })
}

// configure builds the console's command table, the built-in commands and
// then the image's, and keeps the image's programs for the controller.
func (k *system) configure(cfg Config, log io.Writer) {
	k.shell = console.New()
	k.shell.AddSessionCommands()
	k.addCommands()
	for _, c := range cfg.Commands {
		if err := k.shell.Add(c); err != nil {
			fmt.Fprintf(log, "hr: %v: left out\n", err)
		} else {
			k.imageCmds = append(k.imageCmds, c.Name)
		}
	}
	k.register = cfg.Programs
	k.autostart = cfg.Autostart
}

// consoleRetry paces a console session that makes no progress.
const consoleRetry = 100 * time.Millisecond

// cold reports whether this boot found no valid bank.
func (k *system) cold() bool { return !k.bankRep.Warm }

// uptimeMs is this boot's age.
func (k *system) uptimeMs() uint64 { return uint64(time.Since(k.booted) / time.Millisecond) }

// persistentClock is the uptime summed over every boot of this bank.
func (k *system) persistentClock() uint64 { return k.clock0 + k.uptimeMs() }
