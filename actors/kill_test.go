package actors_test

import (
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/hotrestart/tamago-hr/actors"
	"github.com/hotrestart/tamago-hr/pmm"
)

// akill -g frees exactly the group's system blocks and its group-key
// blocks: not the application's other blocks, not another group's.
func TestKillGroupFreesExactlyTheGroupBlocks(t *testing.T) {
	e := newEnv(t)
	_, err := e.bank.Allocate("keep", 1, "k")
	require.NoError(t, err)
	e.run(0, "writer")
	e.run(0, "parent", "always", "kid", "writer")
	e.run(1, "writer")
	e.waitFor(func() bool {
		for _, n := range []string{"G-writer.0.1@0", "G-kid@0", "G-writer.1.1@1"} {
			if _, _, err := e.bank.Lookup(n); err != nil {
				return false
			}
		}
		return true
	}, "every writer ran")
	before := e.bank.Blocks()
	var want []pmm.BlockInfo
	for _, b := range before {
		if b.Key != actors.GroupKey(0) {
			want = append(want, b)
		}
	}
	require.Len(t, before, len(want)+6, "group 0: its record, three actor records, two group-key blocks")

	require.NoError(t, e.ctl.KillGroup(0))
	assert.Equal(t, want, e.bank.Blocks())
	for _, n := range []string{"A-writer.0.1", "A-kid", "keep", "G-writer.1.1@1", "__SYS.hr.g1"} {
		_, _, err := e.bank.Lookup(n)
		assert.NoError(t, err, n)
	}
	_, ok := e.group(0)
	assert.False(t, ok, "the gid is free")
	for _, a := range e.ctl.Actors() {
		assert.Equal(t, 1, a.Group, "group 0's names are unregistered")
	}
	assert.Equal(t, actors.Event{Kind: actors.EventGroupKilled, At: e.uptime(), GID: 0, Members: 3, Blocks: 6},
		e.waitEvent(actors.EventGroupKilled, 0))
	assert.Empty(t, e.sites.all())

	// the names can be registered again, fresh
	e.run(0, "parent", "always", "kid", "wait")
	e.waitRunning("kid", 1)
	assert.Equal(t, 1, e.actor("kid").Gen)

	assert.NoError(t, e.ctl.KillGroup(5), "an unused gid is not an error")
	assert.ErrorIs(t, e.ctl.KillGroup(e.cfg.MaxGroups), actors.ErrTooManyGroups)
	assert.ErrorIs(t, e.ctl.KillGroup(-1), actors.ErrBadGroup)
}

func TestStaleAndUnknownAIDs(t *testing.T) {
	e := newEnv(t)
	a1 := e.run(0, "wait")
	assert.ErrorIs(t, e.ctl.Kill(0), actors.ErrNoActor)
	assert.ErrorIs(t, e.ctl.Kill(a1+1000), actors.ErrNoActor)
	require.NoError(t, e.ctl.Kill(a1))
	a2 := e.waitRunning("wait.0.1", 2)
	err := e.ctl.Kill(a1)
	assert.ErrorIs(t, err, actors.ErrStaleAID)
	assert.ErrorIs(t, e.ctl.Inject(a1, "panic"), actors.ErrStaleAID)
	assert.Equal(t, 2, e.actor("wait.0.1").Gen, "a stale kill restarts nothing")

	require.NoError(t, e.ctl.KillGroup(0))
	err = e.ctl.Kill(a2)
	assert.ErrorIs(t, err, actors.ErrStaleAID, "a retired actor")

	// across a site restart, every old aid is stale and new aids are higher
	b1 := e.run(1, "wait")
	e.reboot()
	assert.ErrorIs(t, e.ctl.Kill(b1), actors.ErrStaleAID)
	_, err = e.ctl.Resume()
	require.NoError(t, err)
	b2 := e.waitRunning("wait.1.1", 2)
	assert.Greater(t, b2, b1)
}

// A member that does not stop within StopTimeout makes its group
// inconsistent: the controller asks for a site restart.
func TestMemberIgnoringStopRequestsSiteRestart(t *testing.T) {
	e := newEnv(t)
	w := e.run(0, "wait")
	s := e.run(0, "stubborn")
	require.NoError(t, e.ctl.Kill(w))
	require.True(t, e.clk.WaitTimers(1, waitLimit), "the restart waits for its members")
	e.waitFor(func() bool { return e.actor("wait.0.1").State == actors.StateStopped }, "wait stopped")
	e.clk.Advance(e.cfg.StopTimeout - time.Nanosecond)
	assert.Empty(t, e.sites.all())
	assert.Equal(t, actors.StateStopping, e.actor("stubborn.0.1").State)
	e.clk.Advance(time.Nanosecond)
	e.waitFor(func() bool { return e.sites.len() == 1 }, "site restart request")
	r := e.sites.all()[0]
	assert.Equal(t, actors.SiteRestartRequest{Group: 0, Actor: "stubborn.0.1", AID: s,
		Reason: "member stubborn.0.1 (aid " + itoa(s) + ") did not stop within 2s", Kind: actors.SiteInconsistent}, r)
	e.waitGroupState(0, actors.GroupSiteRestart)
	assert.Equal(t, actors.StateStopped, e.actor("wait.0.1").State, "not restarted")
	assert.Equal(t, actors.Event{Kind: actors.EventGroupInconsistent, At: e.uptime(), GID: 0, AID: s, Actor: "stubborn.0.1",
		Reason: "member stubborn.0.1 (aid " + itoa(s) + ") did not stop within 2s"}, e.waitEvent(actors.EventGroupInconsistent, 0))

	// Shutdown names it too
	errc := make(chan error, 1)
	go func() { errc <- e.ctl.Shutdown(time.Second) }()
	require.True(t, e.clk.WaitTimers(1, waitLimit))
	e.clk.Advance(time.Second)
	err := <-errc
	assert.ErrorIs(t, err, actors.ErrNotStopped)
	assert.Contains(t, err.Error(), "stubborn.0.1 (aid "+itoa(s)+")")
	e.release("release")
	e.waitFor(func() bool { return e.actor("stubborn.0.1").State == actors.StateStopped }, "stubborn gone")
	_, err = e.ctl.Run(1, "wait", nil)
	assert.ErrorIs(t, err, actors.ErrShutdown)
}

// A kill whose members do not stop cannot free the blocks (they may still
// be written): a site restart is requested, and the next boot finishes the
// kill from the persisted killed flag.
func TestKillGroupInterruptedIsFinishedAtNextBoot(t *testing.T) {
	e := newEnv(t)
	e.run(0, "writer")
	e.run(0, "stubborn")
	e.run(1, "wait")
	e.waitFor(func() bool { _, _, err := e.bank.Lookup("G-writer.0.1@0"); return err == nil }, "writer ran")
	errc := make(chan error, 1)
	go func() { errc <- e.ctl.KillGroup(0) }()
	require.True(t, e.clk.WaitTimers(1, waitLimit))
	e.waitFor(func() bool { return e.actor("writer.0.1").State == actors.StateStopped }, "writer stopped")
	e.clk.Advance(e.cfg.StopTimeout)
	err := <-errc
	assert.ErrorIs(t, err, actors.ErrNotStopped)
	assert.Len(t, e.sites.all(), 1)
	_, _, err = e.bank.Lookup("G-writer.0.1@0")
	assert.NoError(t, err, "not freed while a member may run")
	e.release("release")

	e.reboot()
	e.waitLog("hr: group 0: finishing a kill a reset interrupted: 4 blocks freed")
	for _, b := range e.bank.Blocks() {
		assert.NotEqual(t, actors.GroupKey(0), b.Key)
	}
	n, err := e.ctl.Resume()
	require.NoError(t, err)
	assert.Equal(t, 1, n, "only group 1 comes back")
	e.waitRunning("wait.1.1", 2)
}

func TestLimitsLeaveNothingHalfMade(t *testing.T) {
	e := newEnv(t, withConfig(func(c *actors.Config) { c.MaxActors, c.MaxGroups = 3, 2 }))
	e.run(0, "cmd")
	e.run(1, "wait")
	before := blockNames(e.bank)
	var kidErr error
	e.do("cmd.0.1", func(ctx *actors.Context) (bool, error) {
		_, err := ctx.Spawn("kid", "wait")
		require.NoError(t, err)
		_, kidErr = ctx.Spawn("kid2", "wait")
		return false, nil
	})
	assert.ErrorIs(t, kidErr, actors.ErrTooManyActors)
	_, err := e.ctl.Run(1, "wait", nil)
	assert.ErrorIs(t, err, actors.ErrTooManyActors)
	assert.Contains(t, err.Error(), "3 registered")
	_, err = e.ctl.Run(2, "wait", nil)
	assert.ErrorIs(t, err, actors.ErrTooManyGroups)
	assert.Len(t, blockNames(e.bank), len(before)+1, "only the kid's record was added")

	// ordinary actors do not count
	e.run(-1, "wait")

	// a killed group gives its names back
	require.NoError(t, e.ctl.KillGroup(1))
	e.run(1, "wait")
}

// When the bank is full, registration fails with the pmm error and frees
// what it had made (here the new group's record).
func TestBankFullLeavesNothingHalfMade(t *testing.T) {
	e := newEnv(t, withBank(64<<10, 3))
	e.run(0, "cmd") // ctl + group + actor = 3 blocks: full
	assert.Len(t, e.bank.Blocks(), 3)
	_, err := e.ctl.Run(1, "wait", nil)
	assert.ErrorIs(t, err, pmm.ErrTooManyBlocks)
	e.do("cmd.0.1", func(ctx *actors.Context) (bool, error) {
		_, err := ctx.Spawn("kid", "wait")
		assert.ErrorIs(t, err, pmm.ErrTooManyBlocks)
		return false, nil
	})
	require.NoError(t, e.ctl.KillGroup(0))
	assert.Equal(t, []string{"__SYS.hr.ctl __SYS.hr.ctl"}, blockNames(e.bank))

	// one block short for the actor record after the group record
	e2 := newEnv(t, withBank(64<<10, 2))
	_, err = e2.ctl.Run(0, "wait", nil)
	assert.ErrorIs(t, err, pmm.ErrTooManyBlocks)
	assert.Equal(t, []string{"__SYS.hr.ctl __SYS.hr.ctl"}, blockNames(e2.bank))
	assert.Empty(t, e2.ctl.Groups())
	assert.Empty(t, e2.ctl.Actors())
}

func TestShutdownStopsEverythingAndStartsNothing(t *testing.T) {
	e := newEnv(t)
	e.run(0, "parent", "always", "kid", "wait")
	e.waitRunning("kid", 1)
	e.run(-1, "wait")
	require.NoError(t, e.ctl.Shutdown(time.Second))
	for _, a := range e.ctl.Actors() {
		assert.Zero(t, a.AID, a.Name)
	}
	g, _ := e.group(0)
	assert.Equal(t, actors.GroupHeld, g.State)
	_, err := e.ctl.Resume()
	assert.ErrorIs(t, err, actors.ErrShutdown)
	e.mu.Lock()
	assert.Equal(t, e.hooks.starts, e.hooks.ends, "OnGoroutine is called at both ends")
	assert.Equal(t, 3, e.hooks.starts)
	e.mu.Unlock()
	assert.Empty(t, e.sites.all())
	assert.False(t, slices.ContainsFunc(e.logs.all(), func(l string) bool { return strings.Contains(l, "restart") && strings.HasPrefix(l, "hr: group") }))
}
