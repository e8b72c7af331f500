package actors_test

import (
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/hotrestart/tamago-hr/actors"
)

// Hold is the third way to end: the group stops for good, nothing is
// charged to the policy, every block is kept across a site restart, and
// aps says why until `resume` starts it again (from the same blocks).
func TestHoldKeepsTheGroupAndItsBlocks(t *testing.T) {
	e := newEnv(t)
	aid := e.run(3, "cmd")
	other := e.run(4, "wait")
	e.do("cmd.3.1", func(ctx *actors.Context) (bool, error) {
		b, err := ctx.AllocateGroup("S", 8)
		require.NoError(t, err)
		b[0] = 42
		return false, nil
	})
	e.do("cmd.3.1", func(ctx *actors.Context) (bool, error) {
		err := ctx.Hold("state S@3 cannot be loaded")
		assert.ErrorIs(t, err, actors.ErrHeld)
		assert.EqualError(t, err, "actors: held: state S@3 cannot be loaded")
		return true, err
	})
	e.waitGroupState(3, actors.GroupHeldService)
	assert.Equal(t, actors.Event{Kind: actors.EventGroupHeldService, At: e.uptime(), GID: 3, AID: aid, Actor: "cmd.3.1",
		Reason: "state S@3 cannot be loaded"}, e.waitEvent(actors.EventGroupHeldService, 3))
	g, _ := e.group(3)
	assert.Equal(t, "state S@3 cannot be loaded", g.Hold)
	assert.Equal(t, "aid "+itoa(aid)+" cmd.3.1 held it: state S@3 cannot be loaded", g.LastFailure)
	assert.Equal(t, 0, g.Badness, "a hold is no failure")
	assert.Equal(t, 0, g.Restarts)
	assert.Equal(t, actors.StateStopped, e.actor("cmd.3.1").State)
	assert.Contains(t, blockNames(e.bank), "S@3 "+actors.GroupKey(3))
	assert.Equal(t, 0, e.sites.len())
	assert.Equal(t, other, e.actor("wait.4.1").AID, "other groups run on")

	e.reboot()
	assert.True(t, e.logs.has("hr: group 3: members 1 (direct 1), restarts 0, badness 0; held by its service: state S@3 cannot be loaded (resume 3 restarts it)"))
	n, err := e.ctl.Resume()
	require.NoError(t, err)
	assert.Equal(t, 1, n, "the held group stays held")
	g, _ = e.group(3)
	assert.Equal(t, actors.GroupHeldService, g.State)
	assert.Equal(t, "state S@3 cannot be loaded", g.Hold)

	require.NoError(t, e.ctl.ResumeGroup(3))
	e.waitRunning("cmd.3.1", 2)
	e.do("cmd.3.1", func(ctx *actors.Context) (bool, error) {
		b, err := ctx.AllocateGroup("S", 8)
		require.NoError(t, err)
		assert.Equal(t, byte(42), b[0], "the block was kept")
		return false, nil
	})
	g, _ = e.group(3)
	assert.Equal(t, actors.GroupRunning, g.State)
	assert.Empty(t, g.Hold)

	// held again, then dropped by the operator: its blocks go
	e.do("cmd.3.1", func(ctx *actors.Context) (bool, error) { return true, ctx.Hold("again") })
	e.waitGroupState(3, actors.GroupHeldService)
	require.NoError(t, e.ctl.KillGroup(3))
	assert.NotContains(t, blockNames(e.bank), "S@3 "+actors.GroupKey(3))
}

// Exit (done) frees the group's state, Hold keeps it: the difference the
// README's advice rests on. A Hold wins over an Exit in one incarnation.
func TestHoldWinsOverExit(t *testing.T) {
	e := newEnv(t)
	e.run(1, "cmd")
	e.do("cmd.1.1", func(ctx *actors.Context) (bool, error) {
		_, err := ctx.AllocateGroup("S", 8)
		require.NoError(t, err)
		_ = ctx.Hold("keep it")
		return true, ctx.Exit()
	})
	e.waitGroupState(1, actors.GroupHeldService)
	assert.Contains(t, blockNames(e.bank), "S@1 "+actors.GroupKey(1))
}

// An ordinary actor has no group to hold: Hold is refused, and it ends as
// a failure (logged, never restarted).
func TestHoldOrdinaryActor(t *testing.T) {
	e := newEnv(t)
	aid := e.run(-1, "cmd")
	e.do("cmd", func(ctx *actors.Context) (bool, error) {
		err := ctx.Hold("no")
		assert.ErrorIs(t, err, actors.ErrNotRestartable)
		return true, err
	})
	e.waitLog("hr: aid " + itoa(aid) + " cmd failed (not restartable): actors: not a restartable actor: cmd cannot Hold: it has no group")
}

// ReleaseServiceHold (a rolled-back upgrade) lets Resume start a group its
// service held; a policy hold is not released.
func TestReleaseServiceHold(t *testing.T) {
	e := newEnv(t)
	e.run(2, "cmd")
	e.do("cmd.2.1", func(ctx *actors.Context) (bool, error) { return true, ctx.Hold("v2 cannot load S") })
	e.waitGroupState(2, actors.GroupHeldService)
	e.reboot()
	assert.Equal(t, "", e.ctl.ReleaseServiceHold(5), "no such group")
	assert.Equal(t, "v2 cannot load S", e.ctl.ReleaseServiceHold(2))
	assert.Equal(t, "", e.ctl.ReleaseServiceHold(2), "released once")
	n, err := e.ctl.Resume()
	require.NoError(t, err)
	assert.Equal(t, 1, n)
	e.waitRunning("cmd.2.1", 2)
}

// A reason stays on one line of aps and the log.
func TestHoldReasonOneLine(t *testing.T) {
	e := newEnv(t)
	e.run(1, "cmd")
	e.do("cmd.1.1", func(ctx *actors.Context) (bool, error) { return true, ctx.Hold("bad\nstate\tS") })
	e.waitGroupState(1, actors.GroupHeldService)
	g, _ := e.group(1)
	assert.Equal(t, "bad state S", g.Hold)
}

// A held group whose only record has no valid copy is not resumed: it
// would show running with nothing able to run (its calls time out). The
// error names the record and the way out.
func TestResumeRefusesGroupWithNothingTrusted(t *testing.T) {
	e := newEnv(t)
	aid := e.run(3, "cmd")
	e.do("cmd.3.1", func(ctx *actors.Context) (bool, error) { return true, ctx.Hold("for the test") })
	e.waitGroupState(3, actors.GroupHeldService)
	require.NoError(t, e.shutdown())
	_, newest, oldest := recordCopies(t, e.bank, "__SYS.hr.a"+itoa(aid))
	newest[13] ^= 1
	oldest[0] = 0x55
	e.open()
	err := e.ctl.ResumeGroup(3)
	require.ErrorIs(t, err, actors.ErrUnrunnable)
	assert.Regexp(t, `^actors: nothing in the group can run: group 3: the record of aid `+itoa(aid)+` is not trusted \(actor record: no valid copy: .*\); akill -g 3 frees it$`, err.Error())
	g, _ := e.group(3)
	assert.Equal(t, actors.GroupHeldService, g.State, "still held")
	require.NoError(t, e.ctl.KillGroup(3))
}

// `resume GID` forgets the hold in the group record before its members
// start: a site restart after it brings the group back, not held.
func TestResumedHoldIsForgottenInTheRecord(t *testing.T) {
	e := newEnv(t)
	e.run(3, "cmd")
	e.do("cmd.3.1", func(ctx *actors.Context) (bool, error) { return true, ctx.Hold("no room") })
	e.waitGroupState(3, actors.GroupHeldService)
	require.NoError(t, e.ctl.ResumeGroup(3))
	assert.Equal(t, actors.Event{Kind: actors.EventGroupResumed, At: e.uptime(), GID: 3, Restarts: 1},
		e.waitEvent(actors.EventGroupResumed, 3))
	e.waitRunning("cmd.3.1", 2)

	e.reboot()
	g, _ := e.group(3)
	assert.Equal(t, actors.GroupHeld, g.State, "waiting for Resume, not held")
	assert.Empty(t, g.Hold)
	n, err := e.ctl.Resume()
	require.NoError(t, err)
	assert.Equal(t, 1, n)
	e.waitRunning("cmd.3.1", 3)
}
