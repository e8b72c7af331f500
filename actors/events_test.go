package actors_test

import (
	"errors"
	"fmt"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/hotrestart/tamago-hr/actors"
	"github.com/hotrestart/tamago-hr/actors/fakeclock"
	"github.com/hotrestart/tamago-hr/pmm"
)

// Each event's console line, word for word: the text the console printed
// before events existed (the QEMU transcripts assert the same lines).
func TestEventLines(t *testing.T) {
	for _, tc := range []struct {
		e    actors.Event
		line string
	}{
		{actors.Event{Kind: actors.EventGroupStarted, GID: 2, Started: []actors.StartedActor{{"a.2.1", 7}, {"b.2.2", 8}}},
			"hr: group 2 running: a.2.1 aid 7, b.2.2 aid 8"},
		{actors.Event{Kind: actors.EventGroupRestarting, GID: 2, Restarts: 3, Cause: "aid 7 a.2.1: panic: boom"},
			"hr: group 2 restart 3 (aid 7 a.2.1: panic: boom)"},
		{actors.Event{Kind: actors.EventGroupRestarting, GID: 2, Restarts: 3, Cause: "aid 7 a.2.1: killed by akill",
			Delay: 2 * time.Second, Ran: 300 * time.Millisecond, MinRunTime: time.Second},
			"hr: group 2 restart 3 (aid 7 a.2.1: killed by akill) in 2s: ran 300ms < minRunTime 1s"},
		{actors.Event{Kind: actors.EventGroupFairStart, GID: 1, Restarts: 4, Delay: time.Second},
			"hr: group 1 restart 4 (site restart) in 1s: fair start"},
		{actors.Event{Kind: actors.EventGroupBackoffCut, GID: 0, Restarts: 1, Delay: 10*time.Minute + 40*time.Millisecond},
			"hr: group 0 restart 1 cut short by the operator: its backoff had 10m0s left"},
		{actors.Event{Kind: actors.EventGroupResumed, GID: 5, Restarts: 6},
			"hr: group 5 restart 6 (resumed by the operator)"},
		{actors.Event{Kind: actors.EventGroupHeldPolicy, GID: 0, Cause: "aid 9 w.0.1: killed by akill",
			Reason: "policy: group 0 badness 4 > maxBadness 3 within 10s", Since: 3*time.Second + 1234567},
			"hr: group 0 held (aid 9 w.0.1: killed by akill): policy: group 0 badness 4 > maxBadness 3 within 10s, 3.001s after the site restart it caused; `resume 0` restarts it, `akill -g 0` drops it"},
		{actors.Event{Kind: actors.EventGroupHeldService, GID: 3, AID: 4, Actor: "cmd.3.1", Reason: "state S@3 cannot be loaded"},
			"hr: group 3 held by aid 4 cmd.3.1: state S@3 cannot be loaded; its blocks are kept: `resume 3` restarts it, `akill -g 3` frees them"},
		{actors.Event{Kind: actors.EventGroupEscalated, GID: 0, Cause: "aid 9 w.0.1: killed by akill", Reason: "policy: group 0 badness 4 > maxBadness 3 within 10s"},
			"hr: group 0 failure (aid 9 w.0.1: killed by akill): policy: group 0 badness 4 > maxBadness 3 within 10s"},
		{actors.Event{Kind: actors.EventGroupInconsistent, GID: 0, Reason: "member s.0.1 (aid 3) did not stop within 2s"},
			"hr: group 0 inconsistent: member s.0.1 (aid 3) did not stop within 2s"},
		{actors.Event{Kind: actors.EventGroupKilled, GID: 1, Members: 3, Blocks: 6},
			"hr: group 1 killed: 3 actors unregistered, 6 blocks freed"},
		{actors.Event{Kind: actors.EventGroupTerminated, GID: 0, Members: 1, Blocks: 2},
			"hr: group 0 terminated: every member exited cleanly; 1 names unregistered, 2 blocks freed"},
		{actors.Event{Kind: actors.EventActorExited, GID: 0, AID: 5, Actor: "c.0.1", Panicked: true, Panic: "boom", Stack: []byte("goroutine 1")},
			"hr: aid 5 c.0.1 panic: boom\ngoroutine 1"},
		{actors.Event{Kind: actors.EventActorExited, GID: -1, AID: 5, Actor: "boom", Panicked: true, Panic: "boom", Stack: []byte("goroutine 1")},
			"hr: aid 5 boom panicked (not restartable): boom\ngoroutine 1"},
		{actors.Event{Kind: actors.EventActorExited, GID: -1, AID: 6, Actor: "oops", Err: errors.New("injected error")},
			"hr: aid 6 oops failed (not restartable): injected error"},
		{actors.Event{Kind: actors.EventActorExited, GID: -1, AID: 7, Actor: "quit"},
			"hr: aid 7 quit exited"},
		{actors.Event{Kind: 200}, "hr: event(200)"},
	} {
		assert.Equal(t, tc.line, tc.e.String())
	}
	assert.Equal(t, "group-held-service", actors.EventGroupHeldService.String())
	assert.Equal(t, "actor-exited", actors.EventActorExited.String())
	assert.Equal(t, "event(0)", actors.EventKind(0).String())
}

// Without Events, Log gets each event's line, in order with the other
// lines; with Events, Log gets only the other lines. Without either,
// nothing is reported and the controller works the same.
func TestEventsWithoutSubscriber(t *testing.T) {
	run := func(deps actors.Deps) *actors.Controller {
		progs := &actors.Programs{}
		require.NoError(t, progs.Register("spin", func(ctx *actors.Context) error { <-ctx.Done(); return nil }, ""))
		bank, _, err := pmm.Open(make([]byte, 256<<10), pmm.Geometry{Size: 256 << 10, MaxBlocks: 32})
		require.NoError(t, err)
		deps.Clock = fakeclock.New()
		cfg := actors.DefaultConfig()
		cfg.MinRunTime = 0
		ctl, err := actors.New(bank, cfg, progs, deps)
		require.NoError(t, err)
		t.Cleanup(func() { _ = ctl.Shutdown(time.Second) })
		aid, err := ctl.Run(0, "spin", nil)
		require.NoError(t, err)
		require.NoError(t, ctl.Kill(aid))
		require.Eventually(t, func() bool {
			a := ctl.Actors()
			return len(a) == 1 && a[0].Gen == 2 && a[0].State == actors.StateRunning
		}, waitLimit, time.Millisecond)
		return ctl
	}
	var logOnly, withEvents lines
	var events recorder[actors.Event]
	run(actors.Deps{Log: func(f string, a ...any) { logOnly.add(fmt.Sprintf(f, a...)) }})
	run(actors.Deps{Log: func(f string, a ...any) { withEvents.add(fmt.Sprintf(f, a...)) }, Events: events.add})
	run(actors.Deps{})

	require.Eventually(t, func() bool { return events.len() == 2 }, waitLimit, time.Millisecond)
	ev := events.all()
	assert.Equal(t, actors.EventGroupRestarting, ev[0].Kind)
	assert.Equal(t, actors.EventGroupStarted, ev[1].Kind)
	require.Eventually(t, func() bool { return logOnly.len() == withEvents.len()+2 }, waitLimit, time.Millisecond)
	want := append(withEvents.all(), ev[0].String(), ev[1].String())
	assert.Equal(t, want, logOnly.all(), "the events' lines come last here, after the controller's opening lines")
}

// The subscriber runs outside the controller's lock: it may ask the
// controller what it likes (here: the group's state as the event leaves
// it) without a deadlock.
func TestEventsSubscriberMayCallTheController(t *testing.T) {
	progs := &actors.Programs{}
	require.NoError(t, progs.Register("spin", func(ctx *actors.Context) error { <-ctx.Done(); return nil }, ""))
	bank, _, err := pmm.Open(make([]byte, 256<<10), pmm.Geometry{Size: 256 << 10, MaxBlocks: 32})
	require.NoError(t, err)
	var ctl *actors.Controller
	var seen recorder[actors.GroupState]
	cfg := actors.DefaultConfig()
	cfg.MinRunTime = 0
	ctl, err = actors.New(bank, cfg, progs, actors.Deps{Clock: fakeclock.New(), Events: func(e actors.Event) {
		for _, g := range ctl.Groups() {
			seen.add(g.State)
		}
	}})
	require.NoError(t, err)
	t.Cleanup(func() { _ = ctl.Shutdown(time.Second) })
	_, err = ctl.Run(0, "spin", nil)
	require.NoError(t, err)
	require.NoError(t, ctl.KillGroup(0))
	assert.Equal(t, []actors.GroupState(nil), seen.all(), "killed: the group is gone when its event is delivered")
	_, err = ctl.Run(1, "spin", nil)
	require.NoError(t, err)
	require.NoError(t, ctl.Kill(ctl.Actors()[0].AID))
	require.Eventually(t, func() bool { return seen.len() == 2 }, waitLimit, time.Millisecond)
	assert.Equal(t, []actors.GroupState{actors.GroupStopping, actors.GroupRunning}, seen.all())
}
