package kernel

import (
	"errors"
	"fmt"
	"io"

	"github.com/hotrestart/tamago-hr/board/tunables"
	"github.com/hotrestart/tamago-hr/kernel/bootrec"
	"github.com/hotrestart/tamago-hr/kernel/command"
	"github.com/hotrestart/tamago-hr/kernel/console"
)

// handover is how a way down ends: its last step.
type handover uint8

const (
	handHot    handover = iota // hot reboot of the image in memory (site restart)
	handStaged                 // boot the staged image (hot upgrade, rollback)
	handWarm                   // WDOG1 warm reset, bank kept
	handCold                   // cold reset, bank discarded
	handHalt                   // stop; under QEMU exit with down.code
)

// path is the boot record's name for the handover.
func (h handover) path() bootrec.Path {
	return [...]bootrec.Path{bootrec.PathHot, bootrec.PathUpgrade, bootrec.PathWarm, bootrec.PathCold, bootrec.PathWarm}[h]
}

// String names the way down in the line about actors that did not stop.
func (h handover) String() string {
	return [...]string{"site restart", "upgrade", "reset", "reboot", "halt"}[h]
}

// down is one request to go down.
type down struct {
	hand handover
	kind bootrec.ResetKind // what the breaker and the counters make of it
	why  string            // the intent: the next boot's banner shows it
	say  string            // announced on every console once the request is taken
	// raw: no actor is stopped (`reset`: a raw reset is what it is for)
	raw bool
	// by is the output of the command that asked; nil when none did (the
	// controller's escalation, a rollback at boot). The startup script's
	// (command.FromScript) changes what is done (goDown step 1); an SSH
	// session's is told it took the board down (console.Asker, step 2).
	by   io.Writer
	code int // handHalt: QEMU's exit status
	// handStaged: the copy routine's and the staged descriptor's addresses
	// (bootStaged checked them)
	copyAddr, desc uint32
	// afterStop runs once the actors have stopped (an upgrade copies the
	// states it keeps for a rollback); it must not allocate in the bank
	afterStop func()
}

// errGoingDown refuses every request to go down but the first.
var errGoingDown = errors.New("a restart is already under way")

// errScriptCold refuses a cold reboot asked for by the startup script.
var errScriptCold = errors.New("reboot: refused from the startup script: a cold reboot discards the bank, and with it the crash-loop breaker that stops a script restarting at every boot")

// goDown is the one way down: a site restart (hot reboot), a hot upgrade's
// switch or rollback (staged boot), `reboot` (cold reset), `reset` (warm
// reset) and `halt` all take it, in these steps:
//
//  1. startup script: a site restart or reset it asks for is an automatic
//     site restart, which the crash-loop breaker counts (and safe mode does
//     not run the script); a cold reboot, which would wipe the breaker's
//     count, is refused (errScriptCold).
//  2. latch: only the first request acts; every later one is refused
//     (errGoingDown) and its caller goes on. The asking command's output
//     is told that its command is the one (console.Asker). From here
//     nothing typed runs on any console, and the UART discards what
//     arrives (stopTyping).
//  3. announce d.say on every console.
//  4. stop the actors within hrCtrl.stopTimeout (not for a raw `reset`).
//  5. record the intent in the boot record: path, kind, why (a halt as a
//     warm reset: what the reset button after it does). Nothing in the
//     bank is allocated from here on: what a way down needs there was
//     reserved before step 1 (the boot record at boot, the upgrade's trial
//     state and the copies of the states kept for its rollback by
//     upgradeWith), so a full bank cannot switch a safety net off
//     half way.
//  6. discard the console typing (discardTyping).
//  7. flush the log to every session and the crash log (flushLog).
//  8. close the consoles (the hooks given to onConsolesClose).
//  9. hand over: hot reboot (a warm reset if it cannot run), staged boot,
//     warm reset, cold reset (the bank cleared first: QEMU keeps RAM) or
//     halt.
//
// It returns only when refused at step 1 or 2 (nothing stopped), or on
// the host, whose board's resets return. The exception and fatal-error
// paths (fault.go, exit.go) do not take it: they run on g0 in a dying
// runtime, record their intent without allocating and warm-reset at once.
func (k *system) goDown(d down) error {
	if command.FromScript(d.by) {
		if d.hand == handCold {
			return errScriptCold
		}
		if d.hand == handHot || d.hand == handWarm {
			d.kind = bootrec.SiteAuto
		}
	}
	select {
	case <-k.restarting:
		return errGoingDown
	default:
		close(k.restarting)
	}
	if a, ok := d.by.(console.Asker); ok {
		a.TakesBoardDown()
	}
	k.stopTyping()
	if d.say != "" {
		fmt.Fprintf(&k.out, "hr: %s\n", d.say)
	}
	if d.hand == handHot {
		_ = k.board.LED("blue", true) // restart in progress; the next boot turns it off
	}
	if !d.raw {
		k.stopAll(d.hand.String())
	}
	if d.afterStop != nil {
		d.afterStop()
	}
	if k.recs != nil {
		k.recs.Update(func(r *bootrec.Record) {
			if d.hand == handStaged {
				// the crash-loop breaker judges the version that boots on
				// its own restarts: the ones so far were the other
				// version's (a rollback: the new image's; an upgrade, from
				// safe mode too: the old one's)
				r.Restarts = [bootrec.History]uint64{}
			}
			r.Intend(d.hand.path(), d.kind, d.why, k.persistentClock())
		})
	}
	k.discardTyping()
	k.flushLog()
	what := d.say
	if what == "" {
		what = d.hand.String()
	}
	for _, c := range k.consoleClosers {
		c(what, d.say != "")
	}
	return k.handOver(d)
}

// handOver is goDown's last step.
func (k *system) handOver(d down) error {
	switch d.hand {
	case handHot:
		err := k.board.HotReboot(int(tunables.WatchdogTimeout))
		// still here: the hot path cannot run, fall back to a warm reset
		fmt.Fprintf(&k.out, "hr: %v; warm reset instead\n", err)
		k.updateRecord(func(r *bootrec.Record) { r.Path, r.Intent = bootrec.PathWarm, d.why+" ("+err.Error()+")" })
		k.flushLog()
		k.board.WarmReset()
	case handStaged:
		k.up.stage.Stamp(k.rawNanotime())
		k.board.BootStaged(int(tunables.WatchdogTimeout), d.copyAddr, d.desc)
	case handWarm:
		k.board.WarmReset()
	case handCold:
		// QEMU keeps RAM across a reset: discard the bank explicitly so
		// the next boot is cold, as it would be after a power cycle.
		if k.bank != nil {
			_, mem := k.board.Bank()
			clear(mem)
		}
		k.board.ColdReset()
	case handHalt:
		if !k.board.Exit(d.code) {
			select {} // silicon: nothing to return to
		}
	}
	return nil
}

// onConsolesClose registers f to close a console at goDown's step 8, after
// the log is flushed (the network console's sessions); f is told what
// happens ("site restart: console restart") and whether the log has said
// it on every console (step 3). Call it at boot, before any way down can
// run.
func (k *system) onConsolesClose(f func(what string, said bool)) {
	k.consoleClosers = append(k.consoleClosers, f)
}
