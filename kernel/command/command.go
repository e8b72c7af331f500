// Package command is the console's built-in commands, in three sets, each
// against a small interface the running kernel implements, never against
// the kernel's state itself, so that the kernel's host tests and this
// package's run them on any bank or on a fake:
//
//   - over the bank and the restart groups (Add, against System): `arun`,
//     `akill`, `aps`, `inject`, `programs`, `resume`, the `pmm` commands,
//     `state show`, `bench` and `bench restart`;
//   - the kernel's own (AddMachine, against Machine): the ways down
//     (`restart`, `shutdown`, `reboot`, `reset`, `halt`, `crash`:
//     down.go), what the boot record, the crash log and the board say
//     (`bank`, `dmesg`, `tunables`, `uptime`: report.go; `stats`, `gc`:
//     stats.go; `selftest`: selftest.go) and the wall clock (`date`,
//     `date set`: date.go). Machine gives values (BankJSON, Stats, Clock,
//     GCReport); the commands print them, the text and the `-json` line
//     from the one value, and take the board down through Machine.GoDown,
//     the kernel's one way down;
//   - the hot upgrade's (AddUpgrade, against Upgrader: upgrader.go):
//     `version`, `upgrade`, `upgrade status`, `upgrade commit`; what an
//     upgrade does stays in the kernel.
//
// The kernel imports this package, never the reverse: what both need (the
// startup script's output, ScriptOut) is defined here.
package command

import (
	"io"
	"sync/atomic"

	"github.com/hotrestart/tamago-hr/actors"
	"github.com/hotrestart/tamago-hr/kernel/console"
	"github.com/hotrestart/tamago-hr/pmm"
)

// System is what the commands need of the running kernel. Each method
// reads the system as it is at the call: the bank and the controller come
// after the commands are added, or never.
type System interface {
	// Bank is the persistent bank; nil when the bank is unusable.
	Bank() *pmm.Bank
	// Controller is the hot restart controller and the image's programs;
	// nil when there is none (no bank, or the programs failed).
	Controller() *actors.Controller
	Programs() *actors.Programs
	// GroupKilled is told that the operator ended group gid for good
	// (akill -g), after the fact; what it says goes to out.
	GroupKilled(out io.Writer, gid int)
	// LeaveSafeMode leaves safe mode and restarts every registered group,
	// saying how many on out; an error, and nothing done, when the boot
	// is not in safe mode.
	LeaveSafeMode(out io.Writer) error
}

// set is the commands added to one shell, over one system.
type set struct {
	sys System
	// benchBusy is set while a bench restart runs on its block: the
	// block is not freed under it (cmdPmmFree)
	benchBusy atomic.Bool
}

// Add adds the commands to sh, working on sys; a name already in sh is a
// programming error (console.Shell.MustAdd).
func Add(sh *console.Shell, sys System) { add(sh, sys) }

func add(sh *console.Shell, sys System) *set {
	c := &set{sys: sys}
	c.addPmmCommands(sh)
	c.addActorCommands(sh)
	c.addBenchCommands(sh)
	c.addStateCommands(sh)
	return c
}
