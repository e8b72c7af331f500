package actors

import (
	"cmp"
	"fmt"
	"slices"
	"strings"
	"time"
)

// stopLocked tells x to stop (closes Done) once.
func (c *Controller) stopLocked(x *Context) {
	if !x.stopping {
		x.stopping = true
		close(x.stop)
	}
}

// stopGroupLocked tells every running member of g to stop and returns them.
func (c *Controller) stopGroupLocked(g *group) []*Context {
	return c.stopGroupToLocked(g, make([]*Context, 0, len(g.members)))
}

// stopGroupToLocked is stopGroupLocked appending to xs.
func (c *Controller) stopGroupToLocked(g *group, xs []*Context) []*Context {
	c.callsChangedLocked()
	for _, m := range g.members {
		if m.cur != nil {
			c.stopLocked(m.cur)
			xs = append(xs, m.cur)
		}
	}
	return xs
}

// awaitStop waits up to d on the controller's clock for xs to end and
// returns those still running then. No timer is armed when all have
// already ended.
func (c *Controller) awaitStop(xs []*Context, d time.Duration) []*Context {
	var pending []*Context
	var fins []<-chan struct{}
	c.mu.Lock()
	for _, x := range xs {
		if !x.ended {
			pending = append(pending, x)
			fins = append(fins, c.finishedLocked(x))
		}
	}
	c.mu.Unlock()
	if len(pending) == 0 {
		return nil
	}
	t := c.clock.NewTimer(d)
	defer t.Stop()
	var lag []*Context
	expired := false
	for i, x := range pending {
		if !expired {
			select {
			case <-fins[i]:
				continue
			case <-t.C():
				expired = true
			}
		}
		select {
		case <-fins[i]:
		default:
			lag = append(lag, x)
		}
	}
	return lag
}

// resolveLocked finds the running incarnation with aid.
func (c *Controller) resolveLocked(aid AID) (*Context, error) {
	if x, ok := c.live[aid]; ok {
		return x, nil
	}
	if aid != 0 && aid < c.aidNext {
		for _, m := range c.names {
			if m.lastAID == aid {
				return nil, fmt.Errorf("%w: aid %d was %s, which is not running now", ErrStaleAID, aid, m.name)
			}
		}
		return nil, fmt.Errorf("%w: aid %d (an earlier incarnation, or an actor that has ended)", ErrStaleAID, aid)
	}
	return nil, fmt.Errorf("%w: aid %d", ErrNoActor, aid)
}

// Kill is `akill AID`. On a restartable actor it is an abnormal
// termination: its group restarts (the policy applies). On an ordinary
// actor it tells it to stop; Kill does not wait for either.
func (c *Controller) Kill(aid AID) error {
	return c.locked(func(p *post) error {
		x, err := c.resolveLocked(aid)
		if err != nil {
			return err
		}
		if x.stopping {
			return nil // already stopping, with its group
		}
		if x.m == nil {
			c.stopLocked(x)
			p.logf("hr: aid %d %s killed", aid, x.name)
			return nil
		}
		c.failLocked(x.m.g, x, "killed by akill", p)
		return nil
	})
}

// KillGroup is `akill -g GID` (hrKillGroup): every member stops and is not
// restarted; once all have returned, the group's system blocks and
// group-key blocks are freed in one atomic bank operation, the names are
// unregistered and the gid is free. The killed flag is persisted first, so
// a reset in between finishes the kill at the next boot. A gid not in use
// is not an error. A member that does not stop within StopTimeout blocks
// the freeing (it might still write its blocks): a site restart is
// requested and ErrNotStopped returned.
func (c *Controller) KillGroup(gid int) error {
	g, victims, epoch, err := c.beginKill(gid)
	if err != nil || g == nil {
		return err
	}
	return c.finishKill(g, victims, epoch)
}

// beginKill persists the killed flag and tells every member to stop; g is
// nil when gid is not in use.
func (c *Controller) beginKill(gid int) (g *group, victims []*Context, epoch uint64, err error) {
	if err := c.checkGID(gid); err != nil {
		return nil, nil, 0, err
	}
	err = c.locked(func(p *post) error {
		g = c.groups[gid]
		if g == nil {
			return nil
		}
		if g.st.phase == phaseKilling {
			return fmt.Errorf("%w: group %d is already being killed", ErrGroupBusy, gid)
		}
		g.to(groupState{phase: phaseKilling}, p)
		g.epoch++
		epoch = g.epoch
		g.closeCancel()
		unparkLocked(g) // stopped by a restart it interrupts
		g.persist()
		victims = c.stopGroupLocked(g)
		return nil
	})
	return g, victims, epoch, err
}

// finishKill waits for the members to stop and frees the group.
func (c *Controller) finishKill(g *group, victims []*Context, epoch uint64) error {
	gid := g.gid
	lag := c.awaitStop(victims, c.cfg.StopTimeout)
	return c.locked(func(p *post) error {
		if g.epoch != epoch || c.groups[gid] != g {
			return nil
		}
		if len(lag) > 0 {
			reason := c.inconsistentLocked(g, lag, p)
			return fmt.Errorf("%w: group %d: %s; its blocks are freed at the next boot", ErrNotStopped, gid, reason)
		}
		n := c.removeGroupLocked(g, p)
		p.event(Event{Kind: EventGroupKilled, At: c.now(), GID: gid, Members: len(g.members), Blocks: n})
		return nil
	})
}

// removeGroupLocked ends group g: its records and group-key blocks go in
// one SysFreeAll, its names are unregistered, its gid is free. It returns
// the number of blocks freed.
func (c *Controller) removeGroupLocked(g *group, p *post) int {
	n, err := c.bank.SysFreeAll(g.key)
	if err != nil {
		p.logf("hr: group %d: freeing its blocks: %v", g.gid, err)
	}
	c.forgetStatesLocked()
	c.dropGroupCallsLocked(g.gid)
	for _, m := range g.members {
		if c.names[m.name] == m {
			delete(c.names, m.name)
		}
	}
	c.registered -= len(g.members)
	c.groups[g.gid] = nil
	g.to(groupState{phase: phaseGone}, p)
	g.epoch++
	g.closeCancel()
	return n
}

// Shutdown stops every actor for a site restart or a reboot: all are told
// to stop, none is restarted, nothing starts any more, and records are left
// as they are so that Resume after the restart brings the groups back. It
// waits at most timeout and names the actors that did not stop.
func (c *Controller) Shutdown(timeout time.Duration) error {
	var victims []*Context
	_ = c.locked(func(p *post) error {
		c.closing = true
		c.callsChangedLocked()
		for _, g := range c.groups {
			if g == nil {
				continue
			}
			g.epoch++
			g.closeCancel()
			unparkLocked(g) // stopped by a restart it interrupts
			switch g.st.phase {
			case phaseRunning, phaseStopping, phaseBackoff:
				g.to(groupState{phase: phaseWaiting}, p)
			}
		}
		for _, x := range c.live {
			c.stopLocked(x)
			victims = append(victims, x)
		}
		return nil
	})
	slices.SortFunc(victims, func(a, b *Context) int { return cmp.Compare(a.aid, b.aid) })
	lag := c.awaitStop(victims, timeout)
	if len(lag) == 0 {
		return nil
	}
	names := make([]string, len(lag))
	for i, x := range lag {
		names[i] = fmt.Sprintf("%s (aid %d)", x.name, x.aid)
	}
	return fmt.Errorf("%w: %d of %d actors still running after %v: %s", ErrNotStopped, len(lag), len(victims), timeout, strings.Join(names, ", "))
}
