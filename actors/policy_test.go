package actors_test

import (
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/hotrestart/tamago-hr/actors"
)

// fail kills the running member of group 0 and, unless the policy
// escalates, waits for the restart; it returns the new aid.
func (e *env) fail(aid actors.AID, gen int) actors.AID {
	e.t.Helper()
	require.NoError(e.t, e.ctl.Kill(aid))
	return e.waitRunning("wait.0.1", gen)
}

// escalated kills aid and expects a site restart request instead of a
// restart, the failures all of this boot.
func (e *env) escalated(aid actors.AID, badness int) {
	e.t.Helper()
	e.escalatedBecause(aid, "policy: group 0 badness "+itoa(actors.AID(badness))+" > maxBadness 3 within 10s")
}

func (e *env) escalatedBecause(aid actors.AID, reason string) {
	e.t.Helper()
	n := e.sites.len()
	require.NoError(e.t, e.ctl.Kill(aid))
	e.waitFor(func() bool { return e.sites.len() == n+1 }, "site restart request")
	r := e.sites.all()[n]
	assert.Equal(e.t, 0, r.Group)
	assert.Equal(e.t, "wait.0.1", r.Actor)
	assert.Equal(e.t, aid, r.AID)
	assert.Equal(e.t, reason, r.Reason)
	assert.Equal(e.t, actors.SitePolicy, r.Kind)
	ev := e.waitEvent(actors.EventGroupEscalated, 0)
	assert.Equal(e.t, actors.Event{Kind: actors.EventGroupEscalated, At: e.uptime(), GID: 0, AID: aid, Actor: "wait.0.1",
		Cause: "aid " + itoa(aid) + " wait.0.1: killed by akill", Reason: reason}, ev)
	e.waitGroupState(0, actors.GroupSiteRestart)
	e.waitFor(func() bool { return e.actor("wait.0.1").State == actors.StateStopped }, "member stopped")
}

// MaxBadness 3, Interval 10 s: three failures in a row pass, the fourth
// escalates unless a full interval has passed since the third.
func TestPolicyEscalationBoundary(t *testing.T) {
	t.Run("N pass, N+1 escalates", func(t *testing.T) {
		e := newEnv(t)
		aid := e.run(0, "wait")
		for gen := 2; gen <= 4; gen++ {
			aid = e.fail(aid, gen)
			g, _ := e.group(0)
			assert.Equal(t, gen-1, g.Badness)
		}
		assert.Empty(t, e.sites.all())
		e.escalated(aid, 4)
		g, _ := e.group(0)
		assert.Equal(t, 3, g.Restarts, "an escalation is not a group restart")
		e.waitLog("hr: site restart requested: group 0: policy: group 0 badness 4 > maxBadness 3 within 10s")
		assert.ErrorIs(t, e.ctl.Kill(aid), actors.ErrStaleAID)
		_, err := e.ctl.Run(0, "wait", nil)
		assert.ErrorIs(t, err, actors.ErrGroupBusy)
	})
	t.Run("just under an interval still escalates", func(t *testing.T) {
		e := newEnv(t)
		aid := e.run(0, "wait")
		for gen := 2; gen <= 4; gen++ {
			aid = e.fail(aid, gen)
		}
		e.clk.Advance(10*time.Second - time.Nanosecond)
		e.escalated(aid, 4)
	})
	t.Run("a full interval decays by one", func(t *testing.T) {
		e := newEnv(t)
		aid := e.run(0, "wait")
		for gen := 2; gen <= 4; gen++ {
			aid = e.fail(aid, gen)
		}
		e.clk.Advance(10 * time.Second)
		g, _ := e.group(0)
		assert.Equal(t, 2, g.Badness)
		aid = e.fail(aid, 5)
		assert.Empty(t, e.sites.all())
		g, _ = e.group(0)
		assert.Equal(t, 3, g.Badness)
		e.escalated(aid, 4)
	})
	t.Run("after the decay restarts pass again", func(t *testing.T) {
		e := newEnv(t)
		aid := e.run(0, "wait")
		for gen := 2; gen <= 4; gen++ {
			aid = e.fail(aid, gen)
		}
		e.clk.Advance(35 * time.Second) // three full intervals: back to 0
		g, _ := e.group(0)
		assert.Equal(t, 0, g.Badness)
		for gen := 5; gen <= 7; gen++ {
			aid = e.fail(aid, gen)
		}
		assert.Empty(t, e.sites.all())
		e.escalated(aid, 4)
	})
}

func TestPolicyMaxBadnessZeroEscalatesAtOnce(t *testing.T) {
	e := newEnv(t, withConfig(func(c *actors.Config) { c.MaxBadness = 0 }))
	aid := e.run(0, "wait")
	require.NoError(t, e.ctl.Kill(aid))
	e.waitFor(func() bool { return e.sites.len() == 1 }, "site restart request")
	assert.Equal(t, "policy: group 0 badness 1 > maxBadness 0 within 10s", e.sites.all()[0].Reason)
}

// Decay is measured on the persistent clock: a site restart in the middle
// changes nothing. Three failures, 9 s, a site restart, 1 s: the fourth
// failure comes a full interval after the third and passes, as it would
// without the reboot.
func TestPolicyDecaysOnThePersistentClock(t *testing.T) {
	e := newEnv(t)
	aid := e.run(0, "wait")
	for gen := 2; gen <= 4; gen++ {
		aid = e.fail(aid, gen)
	}
	e.clk.Advance(9 * time.Second)
	e.reboot()
	_, err := e.ctl.Resume()
	require.NoError(t, err)
	aid = e.waitRunning("wait.0.1", 5)
	e.clk.Advance(time.Second)
	e.fail(aid, 6)
	assert.Empty(t, e.sites.all())
	g, _ := e.group(0)
	assert.Equal(t, 3, g.Badness)
	assert.Equal(t, 5, g.Restarts, "3 group restarts + 1 by the site restart + 1")
}

// The escalation message says what caused it: here the badness carried
// over a site restart, plus one failure of this boot.
func TestPolicyReasonNamesCarriedBadness(t *testing.T) {
	e := newEnv(t)
	aid := e.run(0, "wait")
	for gen := 2; gen <= 4; gen++ {
		aid = e.fail(aid, gen)
	}
	e.reboot()
	_, err := e.ctl.Resume()
	require.NoError(t, err)
	aid = e.waitRunning("wait.0.1", 5)
	e.escalatedBecause(aid, "policy: group 0 badness 4 > maxBadness 3 within 10s: 1 failure this boot on top of badness 3 carried over the site restart")
}

// After the site restart it caused, a group gets a fair start (badness the
// limit minus one): one more failure is a group restart. Escalating again
// within its probation holds that group, not the site: the other groups run
// on, the hold survives further site restarts, and `resume GID` ends it.
// Restarts done by a site restart count, and the last failure is kept.
func TestPolicyFairStartThenHoldsTheGroup(t *testing.T) {
	e := newEnv(t)
	e.run(1, "wait")
	aid := e.run(0, "wait")
	for gen := 2; gen <= 4; gen++ {
		aid = e.fail(aid, gen)
	}
	e.escalated(aid, 4)
	e.reboot()
	g, _ := e.group(0)
	assert.Equal(t, actors.GroupInfo{GID: 0, State: actors.GroupHeld, Members: 1, Direct: 1, Restarts: 3, Badness: 2,
		MaxBadness: 3, LastFailure: "aid " + itoa(aid) + " wait.0.1: killed by akill",
		Policy: actors.Policy{MaxBadness: 3, Interval: 10 * time.Second, MaxBackoff: 5 * time.Second}}, g, "fair start; last failure kept")
	n, err := e.ctl.Resume()
	require.NoError(t, err)
	assert.Equal(t, 2, n)
	aid = e.waitRunning("wait.0.1", 5)
	other := e.waitRunning("wait.1.1", 2)
	g, _ = e.group(0)
	assert.Equal(t, 4, g.Restarts, "the site restart's restart counts")
	aid = e.fail(aid, 6)
	g, _ = e.group(0)
	assert.Equal(t, 3, g.Badness)

	require.NoError(t, e.ctl.Kill(aid))
	e.waitGroupState(0, actors.GroupHeldPolicy)
	// the fake clock has not moved since the escalation: Since is 0
	assert.Equal(t, actors.Event{Kind: actors.EventGroupHeldPolicy, At: e.uptime(), GID: 0, AID: aid, Actor: "wait.0.1",
		Cause:  "aid " + itoa(aid) + " wait.0.1: killed by akill",
		Reason: "policy: group 0 badness 4 > maxBadness 3 within 10s: 2 failures this boot on top of badness 2 carried over the site restart"},
		e.waitEvent(actors.EventGroupHeldPolicy, 0))
	assert.Len(t, e.sites.all(), 1, "no second site restart")
	assert.Equal(t, actors.StateRunning, e.actor("wait.1.1").State, "the other group runs on")
	assert.Equal(t, other, e.actor("wait.1.1").AID)

	e.reboot()
	n, err = e.ctl.Resume()
	require.NoError(t, err)
	assert.Equal(t, 1, n, "the held group stays held")
	e.waitRunning("wait.1.1", 3)
	g, _ = e.group(0)
	assert.Equal(t, actors.GroupHeldPolicy, g.State)
	assert.ErrorIs(t, e.ctl.ResumeGroup(1), actors.ErrGroupBusy)
	assert.ErrorIs(t, e.ctl.ResumeGroup(2), actors.ErrNoGroup)
	require.NoError(t, e.ctl.ResumeGroup(0))
	e.waitRunning("wait.0.1", 7)
	g, _ = e.group(0)
	assert.Equal(t, 0, g.Badness)
	assert.Equal(t, 6, g.Restarts)
}

// A deterministic error (a spawn refused at hrCtrl.maxActors) fails at
// every start: one site restart, then the group is held; it never loops the
// site.
func TestPolicyDeterministicErrorHoldsOnlyItsGroup(t *testing.T) {
	e := newEnv(t, withConfig(func(c *actors.Config) { c.MaxActors = 2 }))
	e.run(1, "wait")
	_, err := e.ctl.Run(0, "parent", []string{"always", "kid", "wait"})
	require.NoError(t, err)
	e.waitFor(func() bool { return e.sites.len() == 1 }, "site restart request")
	assert.Equal(t, "policy: group 0 badness 4 > maxBadness 3 within 10s", e.sites.all()[0].Reason)
	e.reboot()
	_, err = e.ctl.Resume()
	require.NoError(t, err)
	e.waitGroupState(0, actors.GroupHeldPolicy)
	e.waitEvent(actors.EventGroupHeldPolicy, 0)
	assert.Equal(t, 1, e.sites.len())
	e.waitRunning("wait.1.1", 2)
	g, _ := e.group(0)
	assert.Contains(t, g.LastFailure, "too many restartable actors")
}
