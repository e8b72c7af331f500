package upgrade

import "fmt"

// Phase is where an upgrade stands.
type Phase uint8

const (
	Idle       Phase = iota // no upgrade since the bank was formatted
	Trial                   // the new image runs on probation
	Committed               // the new image confirmed its health
	RolledBack              // the previous image runs again
	// Reloaded: a board reset reloaded the flashed image, which is not the
	// version the upgrade left running; that version lived in RAM only.
	Reloaded
)

func (p Phase) String() string {
	switch p {
	case Trial:
		return "trial"
	case Committed:
		return "committed"
	case RolledBack:
		return "rolled back"
	case Reloaded:
		return "reloaded"
	}
	return "none"
}

// State is an upgrade's progress, kept in the bank across every kind of
// boot so that the new image's health is judged on the persistent clock
// (milliseconds of run time summed over boots).
//
// The rule: a trial is the new image's first TrialMs of run time. It ends
//   - Committed by `upgrade commit`, or by itself when TrialMs pass with no
//     automatic site restart (a fault outside an actor, a fatal runtime
//     error, an actor's request; not a group's policy escalation, which the
//     restart policy bounds by holding that group, and which a group failing
//     before the upgrade would cause as well);
//   - RolledBack at once when the crash-loop breaker trips, when a watchdog
//     or unexplained reset happens, when a board reset reloads the flashed
//     previous image, or when a group that ran before the upgrade is held
//     by its policy or cannot load its state (Services); and at the end of
//     a trial that had an automatic site restart, or that ends with such a
//     group not running, and was not committed by hand.
//
// An upgraded image lives in RAM: a board reset (watchdog, power, a
// debugger) reloads the flashed image. When that is not the version the
// state says runs, the state becomes Reloaded and says which was lost.
type State struct {
	Phase    Phase
	From, To string // versions: the previous image and the new one
	StartMs  uint64 // persistent clock when To first booted
	Restarts uint32 // automatic site restarts during the trial
	Why      string // why it was rolled back
	// Groups are the restart groups running when the upgrade began (at
	// most MaxGroups): the trial fails if one of them does not stay
	// running (Services).
	Groups []uint16
}

// Begin starts a trial of version to, replacing from, at persistent clock
// nowMs. The caller saves the state before it jumps into the new image.
func (s *State) Begin(from, to string, nowMs uint64) {
	*s = State{Phase: Trial, From: from, To: to, StartMs: nowMs}
}

// Boot says how the current boot came about.
type Boot struct {
	ClockMs  uint64 // persistent clock now
	Running  string // version of the image that runs this code
	Reset    bool   // a watchdog or unexplained reset: the image was reloaded or is suspect
	AutoSite bool   // this boot follows an automatic site restart
	SafeMode bool   // the crash-loop breaker tripped
	// RecordLost: a warm bank held no valid boot record (damaged, then
	// quarantined): its clock and counters start again
	RecordLost bool
}

// OnBoot judges a trial at every boot. It returns true when the running
// image must hand over to the previous one now; the state then says why.
func (s *State) OnBoot(b Boot) (rollBack bool) {
	if s.Phase == Idle || s.Phase == Reloaded {
		return false
	}
	want := s.To // the version the state says runs
	if s.Phase == RolledBack {
		want = s.From
	}
	switch {
	case b.Running == want:
	case s.Phase == Trial && b.Running == s.From:
		// a board reset reloads the flashed image, which is the previous one
		s.end(RolledBack, "a reset reloaded the flashed image during the trial")
		return false
	default:
		s.end(Reloaded, fmt.Sprintf("a reset reloaded the flashed image %s; %s ran from RAM only and is gone: flash it to keep it",
			b.Running, want))
		return false
	}
	if s.Phase != Trial {
		return false
	}
	if b.AutoSite {
		s.Restarts++
	}
	switch {
	case b.RecordLost:
		// its persistent clock and the breaker's counts start again:
		// nothing can judge this trial
		s.end(RolledBack, "the boot record was lost during the trial: it cannot be judged")
	case b.SafeMode:
		s.end(RolledBack, "crash loop during the trial")
	case b.Reset:
		s.end(RolledBack, "watchdog or unexplained reset during the trial")
	default:
		return false
	}
	return true
}

// Tick is called with the persistent clock while the new image runs; it
// returns true when the trial has just ended: committed, or rolled back
// (then the running image must hand over to the previous one).
func (s *State) Tick(nowMs, trialMs uint64) (ended bool) {
	if s.Phase != Trial || nowMs >= s.StartMs && nowMs-s.StartMs < trialMs {
		return false
	}
	switch {
	case nowMs < s.StartMs: // never a run time that wrapped around
		s.end(RolledBack, "the persistent clock went back during the trial: it cannot be judged")
	case s.Restarts > 0:
		s.end(RolledBack, fmt.Sprintf("%d automatic site restarts in a %d ms trial, no commit", s.Restarts, trialMs))
	default:
		s.end(Committed, "")
	}
	return true
}

// RunMs is the new image's run time in the trial at persistent clock
// nowMs, in ms: 0 when the clock went back (a lost boot record), never a
// difference that wrapped around.
func (s *State) RunMs(nowMs uint64) uint64 {
	if nowMs < s.StartMs {
		return 0
	}
	return nowMs - s.StartMs
}

// Fail ends a trial that the new image found unfit at boot (why says how):
// the running image must hand over to the previous one.
func (s *State) Fail(why string) {
	if s.Phase == Trial {
		s.end(RolledBack, why)
	}
}

// Commit ends a trial by hand: the operator vouches for the new image.
func (s *State) Commit() error {
	if s.Phase != Trial {
		return fmt.Errorf("no upgrade on trial (%s)", s.Phase)
	}
	s.end(Committed, "")
	return nil
}

func (s *State) end(p Phase, why string) { s.Phase, s.Why = p, why }

// String is the `upgrade status` line.
func (s State) String() string {
	switch s.Phase {
	case Idle:
		return "no upgrade"
	case RolledBack:
		return fmt.Sprintf("rolled back from %s to %s: %s", s.To, s.From, s.Why)
	case Reloaded:
		return "reloaded: " + s.Why
	}
	return fmt.Sprintf("%s: %s (previous %s)", s.Phase, s.To, s.From)
}
