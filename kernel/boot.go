// Package kernel is the firmware as a library: a firmware image's main
// package calls Main with its programs and console commands, and the kernel
// opens the persistent bank, reads the boot record, brings back the restart
// groups and serves the console. The board is chosen at build time by a tag
// (mx6ullevk or usbarmory, see README.md), never by the image.
//
// # Boot
//
// boot, below, is the whole boot in order; Main runs it on the board and
// the host tests on a fake one. Each step hands what it found to the next:
//
//  1. The board's console starts taking input (type-ahead is kept); the
//     CPU-fault handler and the runtime exit hook go live with what they
//     need of this system (trap.Install, traps.go).
//  2. The console's command table: the built-in commands, then the image's
//     (Config.Commands; a name taken is reported and left out).
//  3. Boot checks (bootChecks): the core, and what cpuinit found — a hot
//     reboot whose restored data failed its check (cpuinit reset the SoC
//     instead), a BSS not zeroed. Its result goes to step 4.
//  4. Cold or warm (openBank): the bank is opened through pmm — valid:
//     warm, otherwise cold and why (blank, bad magic, bad checksum,
//     geometry); the crash log is attached; the boot record decides how
//     this boot came about (bootrec.Record.Begin: cold, hot, warm,
//     watchdog, unexplained, and safe mode when site restarts came too
//     fast); one banner line says it; quarantined records are reported.
//  5. The wall clock: the board's RTC plus the correction kept in the bank.
//  6. No usable bank: the no-bank mode (a reduced command table, which
//     the UART and the SSH console serve); of the steps below only 8
//     (without the boot record's work) and 11 run, then 14.
//  7. A hot upgrade on trial is judged (upgradeBoot): a failed trial boots
//     the previous image here and the boot goes no further.
//  8. The watchdog is armed and serviced; in the no-bank mode too, where
//     there is no boot record for its breadcrumb and clock (watchdog.go).
//  9. The controller opens its records in the bank (Config.Programs).
//  10. On trial, an image that lacks programs the bank's groups run rolls
//     back here, before any group resumes, and the boot goes no further;
//     on the boot after a rollback, the holds the rolled-back version's
//     services made are released.
//  11. The SSH console, where an authorized key is built in (startNetwork);
//     it serves the console's table, the reduced one in the no-bank mode.
//  12. Config.Autostart, each entry once per bank, then the startup script
//     (a warm boot skips its `arun -g` lines; neither runs in safe mode).
//  13. The groups: safe mode says so and resumes none; a warm boot resumes
//     every registered group; a cold one has none.
//  14. Ready: the boot's laps on the board clock, the ready line; a boot
//     that follows a restart discards what was typed across it.
//
// Main then serves the console on the UART (serve). Every way down — site
// restart, upgrade switch, reboot, reset, halt — is goDown (down.go).
package kernel

import (
	"fmt"
	"io"
	"sync/atomic"
	"time"

	"github.com/hotrestart/tamago-hr/board/tunables"
	"github.com/hotrestart/tamago-hr/kernel/console"
	"github.com/hotrestart/tamago-hr/kernel/trap"
	"github.com/hotrestart/tamago-hr/kernel/wallclock"
)

// boot brings the system up on b with cfg, in the order of the package
// documentation, and returns it ready for its console. log receives the
// console's lines while no session is attached (the UART on a board); the
// steps' own lines go to standard output, which the runtime prints there
// too. Steps 7 and 10 may not return: they boot the previous image.
func boot(b Board, cfg Config, log io.Writer) *system {
	k := &system{board: b, booted: time.Now(), restarting: make(chan struct{}), quit: make(chan struct{}),
		out: console.Log{Fallback: log}}
	current.Store(k)

	b.StartConsole() // 1
	trap.Install(k.trapHooks())
	k.configure(cfg, log)                 // 2
	hotCheckFailed := k.bootChecks()      // 3
	bankErr := k.openBank(hotCheckFailed) // 4
	k.setClock()                          // 5
	if bankErr != nil {
		// Without a bank there is nothing to keep: say so and offer the
		// console's commands that need no bank, on every console, with
		// the watchdog on guard (a hot reboot left WDOG1 armed).
		k.enterNoBank(bankErr, log) // 6
		k.startWatchdog()           // 8
		k.startNetwork()            // 11
	} else {
		_ = b.LED("blue", false)
		k.upgradeBoot()                             // 7
		k.startWatchdog()                           // 8
		if err := k.startController(); err != nil { // 9
			fmt.Printf("hr: controller: %v\n", err)
		}
		k.upgradeCheckPrograms() // 10
		k.upgradeReleaseHolds()
		k.startNetwork()       // 11
		k.runAutostart(&k.out) // 12
		k.runStartup(&k.out, !k.cold())
		k.bringBackGroups(&k.out) // 13
	}
	k.laps = k.readBootLaps(time.Since(k.booted)) // 14
	// the date goes into the log (dmesg), so a previous boot's log says when
	fmt.Printf("hr: ready in %v at %s\n", time.Since(k.booted).Round(time.Millisecond), wallclock.Format(time.Now()))
	k.discardRestartTyping()
	return k
}

// bringBackGroups is step 13: a warm boot resumes the bank's groups, but
// not in safe mode, which says why instead.
func (k *system) bringBackGroups(out io.Writer) {
	switch {
	case k.ctl == nil:
	case k.recs.Record().SafeMode:
		r := k.recs.Record()
		fmt.Printf("hr: SAFE MODE: %d site restarts within %d ms; groups are not restarted (`resume` restarts them, `akill -g GID` drops one)\n",
			r.RecentSiteRestarts(r.ClockMs, tunables.CrashLoopWindow), tunables.CrashLoopWindow)
	case !k.cold():
		k.resumeGroups(out)
	}
}

// bootChecks reports, before anything else runs, what cpuinit found: a hot
// boot whose restored data failed its check (cpuinit reset the SoC instead)
// or a BSS that was not zeroed. hotCheckFailed goes into the boot record
// (openBank).
func (k *system) bootChecks() (hotCheckFailed bool) {
	k.printCPU()
	if report, failed := k.board.RestoreReport(); failed {
		hotCheckFailed = true
		fmt.Printf("hr: hot reboot failed its check, WDOG1 reset instead: %s\n", report)
	}
	if c := k.board.BSSCanary(); c != 0 {
		fmt.Printf("hr: BSS not zeroed at boot (canary %#08x)\n", c)
	}
	return hotCheckFailed
}

// current is the system boot returned, for Controller: an image's console
// commands reach the controller through it.
var current atomic.Pointer[system]
