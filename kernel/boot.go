package kernel

import (
	"errors"
	"fmt"

	"github.com/hotrestart/tamago-hr/kernel/bootrec"
	"github.com/hotrestart/tamago-hr/kernel/crashlog"
	"github.com/hotrestart/tamago-hr/kernel/tunables"
	"github.com/hotrestart/tamago-hr/kernel/upgrade/trusted"
	"github.com/hotrestart/tamago-hr/pmm"
	"github.com/hotrestart/tamago-hr/pmm/record"
)

// openBank maps and validates the bank, updates the boot record and prints
// the banner: one line that says cold or warm, and why.
func (k *system) openBank() error {
	mem := hw.MapBank(bankStart, bankStart+bankReserve)[:bankBytes]
	b, rep, err := pmm.Open(mem, bankGeometry())
	if err != nil {
		return err
	}
	k.bank, k.bankRep = b, rep
	if log, err := b.AllocateAs(pmm.System, crashlog.BlockName, tunables.DmesgSize, crashlog.BlockKey); err == nil {
		k.prevLog = attachLog(log)
	} else {
		fmt.Printf("hr: no crash log: %v\n", err)
	}
	recs, rec, err := bootrec.Open(b)
	if err != nil && !errors.Is(err, bootrec.ErrNoRecord) {
		return err
	}
	if err != nil && !errors.Is(err, record.ErrEmpty) {
		fmt.Printf("hr: %v: not trusted, its counters start again\n", err)
	}
	k.recs = recs
	// a watchdog reset is a site restart nobody could record beforehand;
	// any other reset that finds the breadcrumb is an unexplained one
	if !k.cold() && rec.Pending && rec.Path == bootrec.PathWatchdog {
		if fired, why := watchdogFired(); !fired {
			rec.Pending = false
			k.unexplained = why
		}
	}
	k.siteRestarted = !k.cold() && rec.Pending && (rec.Site || rec.Path == bootrec.PathWatchdog)
	k.reason = k.resetReason(&rec, err != nil)
	rec.Boots++
	rec.Pending = false
	k.clock0 = rec.ClockMs
	k.rec = rec
	recs.Save(rec)
	state := "warm"
	if k.cold() {
		state = "cold"
	}
	fmt.Printf("hr: %s boot %d on %s (%s); bank %#x+%#x, %d pages, %d/%d blocks; version %s\n",
		state, rec.Boots, hw.Name(), k.reason, uint32(bankStart), bankBytes,
		bankBytes/pmm.PageSize, len(b.Blocks()), tunables.MaxBlocks, trusted.Version)
	return nil
}

// resetReason explains how this boot came about and counts it.
func (k *system) resetReason(rec *bootrec.Record, fresh bool) string {
	switch {
	case k.cold():
		return "cold bank: " + k.bankRep.Reason
	case fresh:
		return "no boot record in a valid bank"
	case rec.Pending && rec.Path == bootrec.PathWatchdog:
		k.resetBoot = true
		rec.Watchdogs++
		rec.SiteRestarts++
		rec.NoteSiteRestart(rec.ClockMs)
		return rec.Intent
	case rec.Pending && rec.Path == bootrec.PathUpgrade:
		return rec.Intent
	case rec.Pending:
		if rec.Path == bootrec.PathHot && k.hotCheckFailed {
			rec.Path = bootrec.PathWarm
			rec.Intent += " (hot restore failed its check)"
		}
		switch rec.Path {
		case bootrec.PathHot:
			rec.HotReboots++
		case bootrec.PathWarm:
			rec.WarmResets++
		}
		return fmt.Sprintf("%s after %s", rec.Path, rec.Intent)
	}
	rec.Watchdogs++
	k.resetBoot = true
	cause := k.unexplained
	if cause == "" {
		if cause = hw.ResetCause(); cause == "" {
			cause = "no reset cause"
		}
	}
	return "unexplained reset: " + cause + "; no intent recorded"
}

// resetKind says what a reset is for the counters and the crash-loop
// breaker, which counts only the site restarts nobody asked for.
type resetKind int

const (
	plainReset resetKind = iota // reset, reboot: no site restart
	siteAsked                   // restart, shutdown -i 1
	siteAuto                    // faults, fatal errors, a member that did not stop, an actor's request
	sitePolicy                  // a group over the restart policy: bounded by the policy's hold, not counted
)

// recordIntent writes who and why into the boot record before a reset.
func (k *system) recordIntent(path bootrec.Path, kind resetKind, why string) {
	if k.recs == nil {
		return
	}
	k.rec.Pending, k.rec.Site, k.rec.Path, k.rec.Intent = true, kind != plainReset, path, why
	k.rec.ClockMs = persistentClock()
	if kind != plainReset {
		k.rec.SiteRestarts++
	}
	if kind == siteAuto {
		k.rec.NoteSiteRestart(k.rec.ClockMs)
	}
	k.recs.Save(k.rec)
}
