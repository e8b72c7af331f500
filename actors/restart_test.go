package actors_test

import (
	"errors"
	"runtime"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/hotrestart/tamago-hr/actors"
	"github.com/hotrestart/tamago-hr/pmm"
)

func TestRestartKeepsBlocksAndChangesAIDs(t *testing.T) {
	e := newEnv(t)
	w1 := e.run(0, "writer")
	o1 := e.run(0, "wait")
	other := e.run(1, "wait")
	e.waitWrote("writer.0.1", 1, 1)
	before := e.bank.Blocks()

	require.NoError(t, e.ctl.Kill(w1))
	w2 := e.waitRunning("writer.0.1", 2)
	o2 := e.waitRunning("wait.0.1", 2)
	assert.Greater(t, w2, o1)
	assert.Greater(t, o2, o1)
	assert.NotEqual(t, w2, o2)
	assert.Equal(t, other, e.actor("wait.1.1").AID, "the other group is untouched")
	assert.Equal(t, 1, e.actor("wait.1.1").Gen)

	e.waitWrote("writer.0.1", 2, 2) // both blocks kept their contents
	assert.Equal(t, before, e.bank.Blocks(), "a restart allocates and frees nothing")

	gi, _ := e.group(0)
	assert.Equal(t, 1, gi.Restarts)
	assert.Equal(t, 1, gi.Badness)
	assert.Equal(t, 1, e.actor("writer.0.1").Restarts)
	assert.Equal(t, actors.Event{Kind: actors.EventGroupRestarting, At: e.uptime(), GID: 0, Restarts: 1, AID: w1, Actor: "writer.0.1",
		Cause: "aid " + itoa(w1) + " writer.0.1: killed by akill"}, e.waitEvent(actors.EventGroupRestarting, 0))
	started := e.waitEvent(actors.EventGroupStarted, 0)
	assert.Equal(t, []actors.StartedActor{{Name: "writer.0.1", AID: w2}, {Name: "wait.0.1", AID: o2}}, started.Started)
	assert.ErrorIs(t, e.ctl.Kill(w1), actors.ErrStaleAID)
	assert.ErrorIs(t, e.ctl.Kill(o1), actors.ErrStaleAID)
}

func TestIndirectActorsAreRestartedByTheirSpawner(t *testing.T) {
	e := newEnv(t)
	p1 := e.run(0, "parent", "always", "kid", "wait")
	k1 := e.waitRunning("kid", 1)
	kid := e.actor("kid")
	assert.Equal(t, actors.Indirect, kid.Kind)
	assert.Equal(t, "parent.0.1", kid.Spawner)
	assert.Equal(t, 0, kid.Group, "it joined its spawner's group")

	// a failure of the indirect actor restarts the whole group
	require.NoError(t, e.ctl.Kill(k1))
	p2 := e.waitRunning("parent.0.1", 2)
	k2 := e.waitRunning("kid", 2)
	assert.NotEqual(t, p1, p2)
	assert.NotEqual(t, k1, k2)
	e.waitLog("hr: group 0: parent.0.1 respawned kid from its record")

	// with a parent that spawns only in its first generation, the controller
	// does not bring the kid back: it is blocked
	e2 := newEnv(t)
	q1 := e2.run(0, "parent", "once", "kid", "wait")
	e2.waitRunning("kid", 1)
	require.NoError(t, e2.ctl.Kill(q1))
	e2.waitRunning("parent.0.1", 2)
	kid = e2.actor("kid")
	assert.Equal(t, actors.StateBlocked, kid.State)
	assert.Zero(t, kid.AID)
	assert.Equal(t, 1, kid.Gen)
	g, _ := e2.group(0)
	assert.Equal(t, 1, g.Blocked)
	assert.Equal(t, 1, g.Running)
}

func TestSpawnRules(t *testing.T) {
	e := newEnv(t)
	e.run(0, "cmd")
	e.run(1, "parent", "always", "other", "wait")
	e.waitRunning("other", 1)
	var kid actors.AID
	var keep *actors.Context
	e.do("cmd.0.1", func(ctx *actors.Context) (bool, error) {
		keep = ctx
		var err error
		kid, err = ctx.Spawn("kid", "cmd", "k")
		require.NoError(t, err)
		again, err := ctx.Spawn("kid", "cmd")
		assert.ErrorIs(t, err, actors.ErrRunning)
		assert.Equal(t, kid, again)
		_, err = ctx.Spawn("other", "wait")
		assert.ErrorIs(t, err, actors.ErrNameTaken, "registered in another group")
		_, err = ctx.Spawn("parent.1.1", "wait")
		assert.ErrorIs(t, err, actors.ErrNameTaken)
		_, err = ctx.Spawn("cmd.0.1", "wait")
		assert.ErrorIs(t, err, actors.ErrNameTaken, "a direct actor's name")
		_, err = ctx.Spawn("bad name", "wait")
		assert.ErrorIs(t, err, actors.ErrBadName)
		_, err = ctx.Spawn("x", "nosuch")
		assert.ErrorIs(t, err, actors.ErrNoProgram)
		return false, nil
	})
	// the kid exits cleanly; spawning it again starts it from its record
	e.do("kid", func(ctx *actors.Context) (bool, error) {
		assert.Equal(t, []string{"k"}, ctx.Args())
		return true, ctx.Exit()
	})
	e.waitFor(func() bool { return e.actor("kid").State == actors.StateExited }, "kid exited cleanly")
	e.do("cmd.0.1", func(ctx *actors.Context) (bool, error) {
		again, err := ctx.Spawn("kid", "wait", "ignored")
		require.NoError(t, err)
		assert.Greater(t, again, kid)
		return false, nil
	})
	k := e.waitRunning("kid", 2)
	assert.Equal(t, []string{"k"}, e.actor("kid").Args, "the record's arguments win")
	assert.Equal(t, "cmd", e.actor("kid").Program)
	e.waitLog("its record says program cmd, not wait")
	assert.NotZero(t, k)

	// a Context whose actor has ended cannot spawn
	require.NoError(t, e.ctl.KillGroup(0))
	_, err := keep.Spawn("late", "wait")
	assert.ErrorIs(t, err, actors.ErrStopped)
	assert.ErrorIs(t, keep.Sleep(time.Hour), actors.ErrStopped)
}

// Returning nil without Exit is a premature exit; with Exit it is clean.
func TestPrematureExitVersusExit(t *testing.T) {
	e := newEnv(t)
	a := e.run(0, "cmd")
	e.do("cmd.0.1", func(*actors.Context) (bool, error) { return true, nil })
	e.waitRunning("cmd.0.1", 2)
	assert.True(t, e.logs.has("hr: group 0 restart 1 (aid "+itoa(a)+" cmd.0.1: premature exit (returned without Exit))"), "%q", e.logs.all())

	e.do("cmd.0.1", func(ctx *actors.Context) (bool, error) { return true, ctx.Exit() })
	assert.Equal(t, actors.Event{Kind: actors.EventGroupTerminated, At: e.uptime(), GID: 0, Members: 1, Blocks: 2},
		e.waitEvent(actors.EventGroupTerminated, 0))
	assert.Empty(t, e.ctl.Groups())
	assert.Empty(t, e.ctl.Actors())
	assert.Equal(t, []string{"__SYS.hr.ctl __SYS.hr.ctl"}, blockNames(e.bank))

	// the gid and the generated name are free again
	e.run(0, "wait")
	assert.Equal(t, 1, e.actor("wait.0.1").Gen)
}

// A group terminates only when every member has exited cleanly; an error
// or panic after Exit still counts as clean (HR_EXIT_HDL semantics).
func TestGroupTerminationNeedsEveryMember(t *testing.T) {
	e := newEnv(t)
	e.run(0, "cmd")
	e.run(0, "cmd")
	e.do("cmd.0.1", func(ctx *actors.Context) (bool, error) {
		_, err := ctx.AllocateGroup("GB", 1)
		require.NoError(t, err)
		ctx.Exit()
		return true, errors.New("late error")
	})
	e.waitFor(func() bool { return e.actor("cmd.0.1").State == actors.StateExited }, "first clean")
	e.waitLog("cmd.0.1: error: late error after Exit(): counted as clean")
	g, ok := e.group(0)
	require.True(t, ok)
	assert.Equal(t, actors.GroupRunning, g.State)
	assert.Equal(t, 1, g.Running)
	e.do("cmd.0.2", func(ctx *actors.Context) (bool, error) { return true, ctx.Exit() })
	e.waitEvent(actors.EventGroupTerminated, 0)
	_, _, err := e.bank.Lookup("GB@0")
	assert.ErrorIs(t, err, pmm.ErrNotFound, "group-key blocks freed with the group")
}

// A clean member is run again when its group restarts.
func TestRestartClearsCleanFlags(t *testing.T) {
	e := newEnv(t)
	e.run(0, "cmd")
	w := e.run(0, "wait")
	e.do("cmd.0.1", func(ctx *actors.Context) (bool, error) { return true, ctx.Exit() })
	e.waitFor(func() bool { return e.actor("cmd.0.1").State == actors.StateExited }, "clean")
	require.NoError(t, e.ctl.Kill(w))
	e.waitRunning("cmd.0.1", 2)
	e.waitRunning("wait.0.1", 2)
}

func TestPanicIsRecoveredWithStack(t *testing.T) {
	e := newEnv(t)
	a := e.run(0, "cmd")
	e.do("cmd.0.1", func(ctx *actors.Context) (bool, error) {
		var m map[string]int
		//lint:ignore SA5000 the panic is the point of the test
		m["x"] = 1 // a runtime panic, as a CPU fault redirected by the kernel would be
		return false, nil
	})
	e.waitRunning("cmd.0.1", 2)
	ev := e.waitExit(a)
	assert.Equal(t, 0, ev.GID)
	assert.True(t, ev.Panicked)
	assert.EqualError(t, ev.Panic.(error), "assignment to entry in nil map")
	assert.Contains(t, string(ev.Stack), "goroutine ")
	assert.Contains(t, string(ev.Stack), "TestPanicIsRecoveredWithStack", "the stack shows where it panicked")
	assert.Equal(t, "aid "+itoa(a)+" cmd.0.1: panic: assignment to entry in nil map", e.waitEvent(actors.EventGroupRestarting, 0).Cause)
}

func TestErrorAndGoexitAreAbnormal(t *testing.T) {
	e := newEnv(t)
	a := e.run(0, "cmd")
	e.do("cmd.0.1", func(*actors.Context) (bool, error) { return true, errors.New("bad state") })
	e.waitRunning("cmd.0.1", 2)
	assert.Equal(t, "aid "+itoa(a)+" cmd.0.1: error: bad state", e.waitEvent(actors.EventGroupRestarting, 0).Cause)
	e.do("cmd.0.1", func(*actors.Context) (bool, error) { runtime.Goexit(); return false, nil })
	e.waitRunning("cmd.0.1", 3)
	e.waitLog("runtime.Goexit")
}

func TestInjectDeliversFaults(t *testing.T) {
	e := newEnv(t)
	a := e.run(0, "wait")
	assert.ErrorIs(t, e.ctl.Inject(a, "bogus"), actors.ErrBadFault)
	assert.ErrorIs(t, e.ctl.Inject(999, "panic"), actors.ErrNoActor)
	require.NoError(t, e.ctl.Inject(a, "panic"))
	b := e.waitRunning("wait.0.1", 2)
	assert.Equal(t, "aid "+itoa(a)+" wait.0.1: panic: injected panic", e.waitEvent(actors.EventGroupRestarting, 0).Cause)
	assert.ErrorIs(t, e.ctl.Inject(a, "error"), actors.ErrStaleAID)
	require.NoError(t, e.ctl.Inject(b, "exit"))
	e.waitRunning("wait.0.1", 3)
	e.waitLog("premature exit")
	assert.Contains(t, actors.FaultKinds(), "div0")

	// one pending request at a time: cmd does not read Faults
	c := e.run(1, "cmd")
	require.NoError(t, e.ctl.Inject(c, "hang"))
	assert.ErrorIs(t, e.ctl.Inject(c, "hang"), actors.ErrFaultPending)
}

func TestHeartbeatMissIsAbnormal(t *testing.T) {
	e := newEnv(t)
	a := e.run(0, "hb", "1s")
	require.True(t, e.clk.WaitTimers(1, waitLimit), "watchdog armed")
	e.clk.Advance(900 * time.Millisecond)
	e.beat() // deadline now 1.9 s
	e.clk.Advance(200 * time.Millisecond)
	// the watchdog woke at 1 s, found the later deadline and sleeps again
	require.True(t, e.clk.WaitTimers(1, waitLimit))
	assert.Equal(t, actors.StateRunning, e.actor("hb.0.1").State)
	assert.Equal(t, 1, e.actor("hb.0.1").Gen)
	e.clk.Advance(800*time.Millisecond - time.Nanosecond)
	assert.Equal(t, 1, e.actor("hb.0.1").Gen)
	e.clk.Advance(time.Nanosecond)
	e.waitRunning("hb.0.1", 2)
	assert.Equal(t, actors.Event{Kind: actors.EventGroupRestarting, At: e.uptime(), GID: 0, Restarts: 1, AID: a, Actor: "hb.0.1",
		Cause: "aid " + itoa(a) + " hb.0.1: missed heartbeat (period 1s)", Ran: 1900 * time.Millisecond},
		e.waitEvent(actors.EventGroupRestarting, 0))

	// an ordinary actor that misses its heartbeat is stopped, not restarted
	o := e.run(-1, "hb", "1s")
	require.True(t, e.clk.WaitTimers(2, waitLimit))
	e.clk.Advance(time.Second)
	e.waitLog("hr: aid " + itoa(o) + " hb: missed heartbeat (period 1s): stopped (not restartable)")
}

func TestBackoffAfterQuickFailures(t *testing.T) {
	e := newEnv(t, withConfig(func(c *actors.Config) {
		c.MinRunTime, c.MaxBackoff, c.MaxBadness = time.Second, 4*time.Second, 100
	}))
	aid := e.run(0, "wait")
	gen := 1
	for _, want := range []time.Duration{time.Second, 2 * time.Second, 4 * time.Second, 4 * time.Second} {
		require.NoError(t, e.ctl.Kill(aid))
		e.waitGroupState(0, actors.GroupBackoff)
		g, _ := e.group(0)
		assert.Equal(t, want, g.Backoff)
		assert.Equal(t, actors.StateBackoff, e.actor("wait.0.1").State)
		require.True(t, e.clk.WaitTimers(1, waitLimit))
		e.clk.Advance(want - time.Nanosecond)
		g, _ = e.group(0)
		assert.Equal(t, actors.GroupBackoff, g.State, "not before %v", want)
		e.clk.Advance(time.Nanosecond)
		gen++
		aid = e.waitRunning("wait.0.1", gen)
	}
	ev := e.waitEvent(actors.EventGroupRestarting, 0)
	assert.Equal(t, 4, ev.Restarts)
	assert.Equal(t, 4*time.Second, ev.Delay)
	assert.Zero(t, ev.Ran)
	assert.Equal(t, time.Second, ev.MinRunTime)

	// a member that ran MinRunTime restarts at once and resets the sequence
	e.clk.Advance(time.Second)
	require.NoError(t, e.ctl.Kill(aid))
	gen++
	aid = e.waitRunning("wait.0.1", gen)
	require.NoError(t, e.ctl.Kill(aid))
	e.waitGroupState(0, actors.GroupBackoff)
	g, _ := e.group(0)
	assert.Equal(t, time.Second, g.Backoff)

	// a kill during the backoff ends it
	require.NoError(t, e.ctl.KillGroup(0))
	assert.Empty(t, e.ctl.Groups())
}

// A member that panics while its group is being restarted is logged with
// its panic (the quiet path of an ordinary stop must not swallow it), and
// the restart goes on.
func TestPanicWhileStoppingIsLogged(t *testing.T) {
	e := newEnv(t)
	e.run(0, "cmd")
	a := e.run(0, "wait")
	// the unbuffered send returns once cmd.0.1 has taken the action
	select {
	case e.actionsOf("cmd.0.1") <- func(ctx *actors.Context) (bool, error) {
		<-ctx.Done()
		panic("late")
	}:
	case <-time.After(waitLimit):
		t.Fatal("cmd.0.1 does not take actions")
	}
	require.NoError(t, e.ctl.Kill(a))
	e.waitLog("cmd.0.1 panicked while stopping: late")
	e.waitRunning("cmd.0.1", 2)
}
