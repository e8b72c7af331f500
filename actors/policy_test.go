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
// restart.
func (e *env) escalated(aid actors.AID, badness int) {
	e.t.Helper()
	n := e.sites.len()
	require.NoError(e.t, e.ctl.Kill(aid))
	e.waitFor(func() bool { return e.sites.len() == n+1 }, "site restart request")
	r := e.sites.all()[n]
	assert.Equal(e.t, 0, r.Group)
	assert.Equal(e.t, "wait.0.1", r.Actor)
	assert.Equal(e.t, aid, r.AID)
	assert.Equal(e.t, "policy: group 0 badness "+itoa(actors.AID(badness))+" > maxBadness 3 within 10s", r.Reason)
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

// The badness survives a site restart; its decay restarts at New.
func TestPolicyStateSurvivesSiteRestart(t *testing.T) {
	e := newEnv(t)
	aid := e.run(0, "wait")
	for gen := 2; gen <= 4; gen++ {
		aid = e.fail(aid, gen)
	}
	e.escalated(aid, 4)
	e.reboot()
	g, _ := e.group(0)
	assert.Equal(t, 4, g.Badness, "the badness that caused the site restart is kept")
	assert.Equal(t, 3, g.Restarts)
	n, err := e.ctl.Resume()
	require.NoError(t, err)
	assert.Equal(t, 1, n)
	aid = e.waitRunning("wait.0.1", 5)
	// a failure soon after the site restart escalates again…
	e.escalated(aid, 5)

	// …but after enough quiet intervals the group restarts normally
	e.reboot()
	_, err = e.ctl.Resume()
	require.NoError(t, err)
	aid = e.waitRunning("wait.0.1", 6)
	e.clk.Advance(30 * time.Second)
	e.fail(aid, 7)
	g, _ = e.group(0)
	assert.Equal(t, 3, g.Badness)
}
