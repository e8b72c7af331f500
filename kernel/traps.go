package kernel

import (
	"github.com/hotrestart/tamago-hr/kernel/bootrec"
	"github.com/hotrestart/tamago-hr/kernel/trap"
)

// UndefinedInstruction executes an undefined instruction (ARM ARM A8.8.247
// UDF): in an actor it becomes a *Fault panic of that actor, which its group
// restart handles; anywhere else it restarts the site.
func UndefinedInstruction() { trap.UndefinedInstruction() }

// trapHooks is what the boot installs into kernel/trap before its handlers
// are live: the board's UART and warm reset, and the boot record.
func (k *system) trapHooks() trap.Hooks {
	return trap.Hooks{Tx: k.board.ConsoleTx, Fatal: k.recordFatal, Reset: k.board.WarmReset}
}

// recordFatal is recordIntent on the exception and fatal-error paths
// (trap.Hooks.Fatal): no allocation, and the boot record's lock only if
// free (bootrec.Store.IntendFatal), since the faulting goroutine may hold it.
func (k *system) recordFatal(why string) {
	if k.recs != nil {
		// a line half typed on the UART: the next boot refuses its rest,
		// as after any way down (discardRestartTyping)
		k.recs.IntendFatal(bootrec.PathWarm, bootrec.SiteAuto, why, k.persistentClock(), k.lineCut())
	}
}
