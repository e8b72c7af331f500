package actors

import (
	"fmt"
	"slices"
	"strconv"
	"time"
)

// failLocked handles an abnormal termination of member x of g (a failure,
// a kill without -g, a missed heartbeat). Only the first failure of a
// running group counts: failures while it is already stopping are part of
// the same restart. The policy is charged and persisted first, so a reset
// anywhere later still remembers it; then every member is told to stop and
// the last of them to end starts the group again (awaitMembersLocked; or,
// over the policy, a site restart is requested).
func (c *Controller) failLocked(g *group, x *Context, cause string, p *post) {
	if g.st.phase != phaseRunning {
		return
	}
	now := c.now()
	t := c.runBase + now // c.pnow(), without a second clock read
	cfg := g.cfg()
	if g.bootFailures == 0 {
		g.carried = decayed(g.badness, g.failedAt, t, cfg.Interval)
	}
	g.bootFailures++
	nb, escalate := charge(g.badness, g.failedAt, t, cfg)
	g.badness, g.failedAt = nb, t
	// "aid N NAME: CAUSE", without fmt: it is on every restart's path
	who := "aid " + strconv.FormatUint(uint64(x.aid), 10) + " " + x.name + ": " + cause
	g.lastFailure = who
	g.epoch++
	// into the group's buffer: a restart needs only their number
	victims := c.stopGroupToLocked(g, g.victims[:0])
	g.victims = victims[:0]
	if escalate {
		reason := policyReason(g, cfg)
		if g.escalated && t-g.escalatedAt < probation(cfg) {
			c.holdLocked(g, x, slices.Clone(victims), who, reason, now, t-g.escalatedAt, p)
			return
		}
		g.to(groupState{phase: phaseSiteRestart}, p)
		g.escalated, g.escalatedAt = true, t
		g.persist()
		if !p.quiet {
			p.event(Event{Kind: EventGroupEscalated, At: now, GID: g.gid, AID: x.aid, Actor: x.name, Cause: who, Reason: reason})
		}
		p.sites = append(p.sites, SiteRestartRequest{Group: g.gid, Actor: x.name, AID: x.aid, Reason: reason, Kind: SitePolicy})
		return
	}
	g.restarts++
	g.persist()
	ran := now - x.started
	delay, quick := backoff(ran, g.quick, cfg)
	g.quick = quick
	g.to(groupState{phase: phaseStopping}, p)
	if !p.quiet {
		p.event(Event{Kind: EventGroupRestarting, At: now, GID: g.gid, Restarts: g.restarts, AID: x.aid, Actor: x.name,
			Cause: who, Delay: delay, Ran: ran, MinRunTime: cfg.MinRunTime})
	}
	c.awaitMembersLocked(g, len(victims), delay, now, p)
}

// failedGroup is a group whose restart waits for the failure's log line.
type failedGroup struct {
	g     *group
	epoch uint64
}

// awaitMembersLocked has g's restart wait for its n stopped members to end
// and for the failure's log line (p, flushed): the last of these starts the
// group (stoppedLocked), on its own goroutine, so that a restart needs no
// goroutine of its own and the group runs again only after its restart
// line. The lag timer bounds the wait by StopTimeout from now (the
// failure's controller uptime); none is armed when no member runs.
func (c *Controller) awaitMembersLocked(g *group, n int, delay, now time.Duration, p *post) {
	g.toStop, g.delay = n+1, delay
	if p.failed == nil {
		p.failed = p.failedBuf[:0]
	}
	p.failed = append(p.failed, failedGroup{g, g.epoch})
	if n == 0 {
		return
	}
	g.lagAt = now + c.cfg.StopTimeout
	if g.lag == nil {
		g.lag = c.clock.AfterFunc(c.cfg.StopTimeout, func() { c.lagged(g) })
	} else {
		g.lag.Reset(c.cfg.StopTimeout)
	}
}

// failureLogged counts the failure's log line of f's restart out.
func (c *Controller) failureLogged(f failedGroup) {
	p := c.post()
	c.mu.Lock()
	if f.g.epoch == f.epoch && f.g.st.phase == phaseStopping && f.g.toStop > 0 {
		if f.g.toStop--; f.g.toStop == 0 {
			c.stoppedLocked(f.g, &p)
		}
	}
	c.mu.Unlock()
	c.flush(&p)
}

// stoppedLocked goes on with g's restart once every member has ended: it
// starts the group, or after its backoff delay (restartGroup).
func (c *Controller) stoppedLocked(g *group, p *post) {
	if g.lag != nil {
		g.lag.Stop()
	}
	if g.delay > 0 {
		unparkLocked(g)
		epoch, delay := g.epoch, g.delay
		p.fns = append(p.fns, func() { c.restartGroup(g, epoch, delay) })
		return
	}
	g.to(groupState{phase: phaseRunning}, p)
	c.startGroupLocked(g, p)
	unparkLocked(g) // members that did not start
}

// lagged is the lag timer: members of a restart that have not ended
// StopTimeout after the failure make the group inconsistent.
func (c *Controller) lagged(g *group) {
	_ = c.locked(func(p *post) error {
		// a timer of an earlier restart that fired as it ended finds the
		// deadline of this one ahead
		if g.toStop == 0 || g.st.phase != phaseStopping || c.closing || c.now() < g.lagAt {
			return nil
		}
		var lag []*Context
		for _, m := range g.members {
			if m.cur != nil {
				lag = append(lag, m.cur)
			}
		}
		if len(lag) == 0 {
			return nil // only the failure's log line is still to come
		}
		g.toStop = 0
		unparkLocked(g)
		c.inconsistentLocked(g, lag, p)
		return nil
	})
}

// holdLocked stops a group that escalates again within its probation after
// the site restart it caused, instead of restarting the whole site again:
// the other groups go on, and the held group waits for the operator
// (ResumeGroup, `resume GID`; KillGroup, `akill -g GID`). The hold is
// persisted, so a later site restart does not bring it back either. Its
// members still get StopTimeout to return; one that does not makes the
// group inconsistent, which only a site restart ends.
func (c *Controller) holdLocked(g *group, x *Context, victims []*Context, who, reason string, now, since time.Duration, p *post) {
	g.to(groupState{phase: phaseHeldPolicy}, p)
	g.persist()
	if !p.quiet {
		p.event(Event{Kind: EventGroupHeldPolicy, At: now, GID: g.gid, AID: x.aid, Actor: x.name, Cause: who, Reason: reason, Since: since})
	}
	c.awaitHeld(g, victims, p)
}

// awaitHeld gives the members of a group just held StopTimeout to return;
// one that does not makes the group inconsistent.
func (c *Controller) awaitHeld(g *group, victims []*Context, p *post) {
	c.callsChangedLocked()
	epoch := g.epoch
	p.fns = append(p.fns, func() {
		lag := c.awaitStop(victims, c.cfg.StopTimeout)
		if len(lag) == 0 {
			return
		}
		_ = c.locked(func(p *post) error {
			if g.epoch == epoch && !c.closing {
				c.inconsistentLocked(g, lag, p)
			}
			return nil
		})
	})
}

// restartGroup is the backoff worker: once the members have stopped, it
// waits for the backoff delay, then starts the direct actors again. It
// gives up silently when the group was killed or the controller shut down
// meanwhile (the epoch moved on).
func (c *Controller) restartGroup(g *group, epoch uint64, delay time.Duration) {
	p := c.post()
	c.mu.Lock()
	if g.epoch != epoch || c.closing {
		c.mu.Unlock()
		return
	}
	if delay > 0 {
		g.to(groupState{phase: phaseBackoff, resumeAt: c.now() + delay}, &p)
		cancel := g.cancel
		c.mu.Unlock()
		t := c.clock.NewTimer(delay)
		select {
		case <-t.C():
		case <-cancel:
			t.Stop()
			return
		}
		c.mu.Lock()
		if g.epoch != epoch || c.closing {
			c.mu.Unlock()
			return
		}
	}
	g.to(groupState{phase: phaseRunning}, &p)
	c.startGroupLocked(g, &p)
	c.mu.Unlock()
	c.flush(&p)
}

// inconsistentLocked escalates a group some of whose members did not stop:
// goroutines cannot be killed, so only a site restart makes it whole again.
func (c *Controller) inconsistentLocked(g *group, lag []*Context, p *post) string {
	g.to(groupState{phase: phaseSiteRestart}, p)
	l := lag[0]
	reason := fmt.Sprintf("member %s (aid %d) did not stop within %v", l.name, l.aid, c.cfg.StopTimeout)
	if len(lag) > 1 {
		reason += fmt.Sprintf(" (and %d more)", len(lag)-1)
	}
	if !p.quiet {
		p.event(Event{Kind: EventGroupInconsistent, At: c.now(), GID: g.gid, AID: l.aid, Actor: l.name, Reason: reason})
	}
	p.sites = append(p.sites, SiteRestartRequest{Group: g.gid, Actor: l.name, AID: l.aid, Reason: reason, Kind: SiteInconsistent})
	return reason
}

// startGroupLocked starts g's direct actors again (new aid, next
// generation, original program and arguments; the caller has moved g to
// running) and clears every member's clean flag: the group runs again from
// its direct actors' entry points, and its indirect actors stay blocked
// until their spawners spawn them.
// It returns how many direct actors started and why others did not.
func (c *Controller) startGroupLocked(g *group, p *post) (int, []error) {
	var errs []error
	var started []*Context // for the event, when someone listens
	now := c.now()
	p.starts = slices.Grow(p.starts, len(g.members)) // one allocation, not one per doubling
	n := 0
	for _, m := range g.members {
		if m.corrupt != "" || m.cur != nil {
			continue
		}
		if m.kind != Direct {
			if m.clean {
				m.clean = false
				_ = m.persist()
			}
			continue
		}
		x, err := c.startMemberLocked(m, 0, now, p)
		if err != nil {
			errs = append(errs, startFailed(g, m, err, p))
			continue
		}
		n++
		if !p.quiet {
			started = append(started, x)
		}
	}
	if len(started) > 0 {
		logRunning(g, started, now, p)
	}
	return n, errs
}

// startFailed logs and returns why m did not start. Kept out of
// startGroupLocked, as logRunning, so that the restart worker's frames stay
// small: a fresh goroutine's stack is 2 KiB, and growing it (a copy) cost
// a restart as much as writing all its records.
//
//go:noinline
func startFailed(g *group, m *member, err error, p *post) error {
	p.logf("hr: group %d: cannot start %s: %v", g.gid, m.name, err)
	return fmt.Errorf("group %d: %s: %w", g.gid, m.name, err)
}

// logRunning reports the members of g just started.
//
//go:noinline
func logRunning(g *group, xs []*Context, now time.Duration, p *post) {
	started := make([]StartedActor, len(xs))
	for i, x := range xs {
		started[i] = StartedActor{Name: x.name, AID: x.aid}
	}
	p.event(Event{Kind: EventGroupStarted, At: now, GID: g.gid, Started: started})
}
