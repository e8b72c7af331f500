package kernel

import (
	"fmt"
	"io"
	"time"

	"github.com/hotrestart/tamago-hr/actors"
	"github.com/hotrestart/tamago-hr/board/tunables"
	"github.com/hotrestart/tamago-hr/kernel/bootrec"
	"github.com/hotrestart/tamago-hr/kernel/trap"
)

func ms(v int64) time.Duration { return time.Duration(v) * time.Millisecond }

// controllerConfig maps the static tunables onto the controller.
func controllerConfig() actors.Config {
	return actors.Config{
		MaxActors:   tunables.MaxActors,
		MaxGroups:   tunables.MaxGroups,
		MaxBadness:  tunables.MaxBadness,
		Interval:    ms(tunables.Interval),
		StopTimeout: ms(tunables.StopTimeout),
		MinRunTime:  ms(tunables.MinRunTime),
		MaxBackoff:  ms(tunables.MaxBackoff),
	}
}

// startController opens the controller's records in the bank.
func (k *system) startController() error {
	progs := &actors.Programs{}
	if k.register != nil {
		if err := registerPrograms(k.register, progs); err != nil {
			return fmt.Errorf("programs: %w", err)
		}
	}
	for _, r := range progs.Refused() { // a wrong state type: that program never starts (actors.WithState)
		k.logf("hr: program %s; it is refused: every start of it fails", r)
	}
	ctl, err := actors.New(k.bank, controllerConfig(), progs, actors.Deps{
		Clock:       actors.RealClock{},
		RunTime:     ms(int64(k.persistentClock())),
		SiteRestart: k.onSiteRestartRequest,
		Log:         k.logf,
		Events:      func(e actors.Event) { k.logf("%s", e.String()) }, // the console's line for each group event
		Console:     &k.out,
		OnGoroutine: trap.TrackActor,
	})
	if err != nil {
		return err
	}
	k.ctl, k.progs = ctl, progs
	return nil
}

// onSiteRestartRequest is the controller's escalation; the restart runs on
// its own goroutine so the controller is never blocked by its own shutdown.
// A policy escalation does not count towards safe mode: the policy holds a
// group that escalates again within its probation, so one failing group
// cannot loop the site (actors package documentation).
func (k *system) onSiteRestartRequest(r actors.SiteRestartRequest) {
	kind := bootrec.SiteAuto
	if r.Kind == actors.SitePolicy {
		kind = bootrec.SitePolicy
	}
	go func() { _ = k.siteRestart(kind, "controller: "+r.Reason, nil) }() // refused: a way down is under way already
}

// resumeGroups restarts every registered group's direct actors.
func (k *system) resumeGroups(out io.Writer) {
	n, err := k.ctl.Resume()
	if err != nil {
		fmt.Fprintf(out, "hr: resume: %v\n", err)
	}
	fmt.Fprintf(out, "hr: %d groups resumed\n", n)
}

func (k *system) logf(format string, args ...any) {
	fmt.Fprintf(&k.out, format+"\n", args...)
}

// registerPrograms runs the image's Config.Programs, turning a panic in it
// (a bug in the user's code) into an error: the boot goes on to a console
// without the controller instead of resetting at every boot.
func registerPrograms(register func(*actors.Programs) error, progs *actors.Programs) (err error) {
	defer func() {
		if r := recover(); r != nil {
			err = fmt.Errorf("the Programs function panicked: %v", r)
		}
	}()
	return register(progs)
}
