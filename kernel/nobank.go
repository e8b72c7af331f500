package kernel

import (
	"fmt"
	"io"
	"slices"
)

// noBankCommands are the built-in commands that work without a bank: they
// touch neither the bank, the boot record nor the controller. restart and
// shutdown -i 1 boot again (the bank may be usable then); `date set`
// keeps its correction in the bank and is not among them; the crash log,
// groups, stats and upgrades live in the bank.
var noBankCommands = []string{"uptime", "date", "tunables", "version", "gc", "halt", "reset", "reboot", "restart", "shutdown"}

// roomCommands also work when the bank opened but the kernel could not
// place its own records in it (a full bank whose boot record was
// quarantined): they show the bank and make room, for a restart to use.
var roomCommands = []string{"pmm ls", "pmm stat", "pmm free", "pmm freeall", "pmm release", "pmm verify", "pmm dump"}

// enterNoBank switches the console to the no-bank mode: one reduced
// command table (plus the image's own commands, which get no bank from the
// kernel) in which every other command answers one line saying why.
func (k *system) enterNoBank(why error, log io.Writer) {
	fmt.Fprintf(log, "hr: bank unusable: %v\n", why)
	keep := func(name string) bool {
		return slices.Contains(noBankCommands, name) || slices.Contains(k.imageCmds, name) ||
			(k.bank != nil && slices.Contains(roomCommands, name))
	}
	k.shell = k.shell.Restrict(keep, func(name string) error {
		return fmt.Errorf("%s needs the bank (bank unusable: %v)", name, why)
	})
	// Nothing may use a boot record that was never read.
	k.recs = nil
	fmt.Fprintln(log, "hr: no-bank mode: only the commands that need no bank run (help lists them)")
}
