package bootrec

import "fmt"

// The boot-state machine: how a boot reads the record the previous one left
// (Begin), and what a boot writes before it resets (Intend). Both are pure
// transitions of a Record, table-tested on the host; the kernel only gathers
// the facts and saves.

// Boot is what the kernel knows of this boot before it reads the record.
type Boot struct {
	Cold       bool   // the bank was formatted at this boot: nothing was kept
	ColdReason string // why (pmm.OpenReport.Reason)
	Fresh      bool   // a warm bank with no trusted record (Open's error)
	// HotCheckFailed: the hot reboot asked for failed its restore check
	// and cpuinit fell back to a WDOG1 reset (Board.RestoreReport).
	HotCheckFailed bool
	// WatchdogFired decides, for a boot that found the watchdog
	// breadcrumb, whether WDOG1 really fired, and why not when it did not
	// (kernel watchdog.go). Called only then.
	WatchdogFired func() (fired bool, why string)
	// ResetCause is the SoC's reset-reason register decoded, "" when it
	// says nothing (QEMU clears it on every reset).
	ResetCause string
	// The crash-loop breaker (kern.crashLoopCount, kern.crashLoopWindow):
	// this many automatic site restarts within the window (ms of
	// persistent clock) put the boot in safe mode; a count of 0 turns the
	// breaker off.
	CrashLoopCount  int
	CrashLoopWindow uint64
}

// Start is what Begin concludes.
type Start struct {
	Reason string // for the banner: how this boot came about
	// SiteRestart: this boot follows a site restart (requested, automatic
	// or a watchdog reset); its groups are resumed unless in safe mode.
	SiteRestart bool
	SafeMode    bool // the crash-loop breaker tripped
	// Reset: a watchdog or unexplained reset, not a reset anybody asked
	// for (a hot upgrade's trial rolls back on it, kernel/upgrade).
	Reset bool
	// AutoSite: the site restart was an automatic one (SiteAuto or a
	// watchdog reset), the kind the crash-loop breaker counts.
	AutoSite bool
}

// Begin classifies this boot from the record the previous boot left and
// turns r into this boot's record: counters, boot number, safe mode, and no
// pending intent. The persistent clock (ClockMs) is where the previous boot
// left it.
func (r *Record) Begin(b Boot) Start {
	if b.Cold {
		*r = Record{}
	}
	var unexplained string
	// a watchdog reset is a site restart nobody could record beforehand;
	// any other reset that finds the breadcrumb is an unexplained one
	if !b.Cold && r.Pending && r.Path == PathWatchdog && b.WatchdogFired != nil {
		if fired, why := b.WatchdogFired(); !fired {
			r.Pending = false
			unexplained = why
		}
	}
	var s Start
	s.SiteRestart = !b.Cold && r.Pending && (r.Site || r.Path == PathWatchdog)
	s.Reset = !b.Cold && !b.Fresh && (!r.Pending || r.Path == PathWatchdog)
	s.Reason = r.reason(b, unexplained)
	// an automatic site restart left its stamp at the clock it stopped at
	s.AutoSite = s.SiteRestart && r.Restarts[0] != 0 && r.Restarts[0] == r.ClockMs
	r.Boots++
	r.Pending = false
	r.SafeMode = s.SiteRestart && b.CrashLoopCount > 0 && r.RecentSiteRestarts(r.ClockMs, b.CrashLoopWindow) >= b.CrashLoopCount
	s.SafeMode = r.SafeMode
	return s
}

// reason explains how this boot came about and counts it.
func (r *Record) reason(b Boot, unexplained string) string {
	switch {
	case b.Cold:
		return "cold bank: " + b.ColdReason
	case b.Fresh:
		return "no boot record in a valid bank"
	case r.Pending && r.Path == PathWatchdog:
		r.Watchdogs++
		r.SiteRestarts++
		r.NoteSiteRestart(r.ClockMs)
		return r.Intent
	case r.Pending && r.Path == PathUpgrade:
		return r.Intent // "upgrade from v1 to v2", "rollback from v2 to v1: why"
	case r.Pending:
		if r.Path == PathHot && b.HotCheckFailed {
			r.Path = PathWarm
			r.Intent = clip(r.Intent + " (hot restore failed its check)")
		}
		switch r.Path {
		case PathHot:
			r.HotReboots++
		case PathWarm:
			r.WarmResets++
		}
		return fmt.Sprintf("%s after %s", r.Path, r.Intent)
	}
	r.Watchdogs++
	cause := unexplained
	if cause == "" {
		if cause = b.ResetCause; cause == "" {
			cause = "no reset cause"
		}
	}
	return "unexplained reset: " + cause + "; no intent recorded"
}

// ResetKind says what a reset is for the counters and the crash-loop breaker,
// which counts only the site restarts nobody asked for.
type ResetKind uint8

const (
	PlainReset ResetKind = iota // reset, reboot: no site restart
	SiteAsked                   // restart, shutdown -i 1
	SiteAuto                    // faults, fatal errors, a member that did not stop, an actor's request
	SitePolicy                  // a group over the restart policy: bounded by the policy's hold, not counted
)

// Intend records who and why before a reset along path, at persistent
// clock ms: the next boot's Begin reads it. It does not allocate (the
// fault path calls it).
func (r *Record) Intend(path Path, kind ResetKind, why string, clock uint64) {
	r.Pending, r.Site, r.Path, r.Intent = true, kind != PlainReset, path, clip(why)
	r.ClockMs = clock
	if kind != PlainReset {
		r.SiteRestarts++
	}
	if kind == SiteAuto {
		r.NoteSiteRestart(clock)
	}
}

// clip keeps an intent within what the record holds.
func clip(s string) string {
	if len(s) > maxText {
		return s[:maxText]
	}
	return s
}
