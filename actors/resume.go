package actors

import (
	"errors"
	"fmt"
	"strings"
)

// Resume starts every group reopened from the bank (held) again, after a
// warm boot or a site restart, or when the operator leaves safe mode: each
// one's direct actors run with new aids and the next generation, and they
// re-spawn their indirect actors. Each such start is a restart of the group
// and counts in its restart counter. A group that caused the site restart
// (fair start, see the package documentation) starts after a backoff delay;
// a group the policy holds stays held (ResumeGroup). Groups that were
// killed are not among them (New finished their kill). It returns how many
// groups it started or scheduled; a group none of whose direct actors could
// start (e.g. its program is no longer in the image) stays registered and
// is reported in the error.
func (c *Controller) Resume() (int, error) {
	n := 0
	err := c.locked(func(p *post) error {
		if c.closing {
			return ErrShutdown
		}
		var errs []error
		for _, g := range c.groups {
			if g == nil || g.st.phase != phaseWaiting {
				continue
			}
			g.countRestart()
			g.persist()
			if g.st.fair {
				delay, quick := backoff(0, 0, g.cfg())
				if delay > 0 {
					g.quick = quick
					g.to(groupState{phase: phaseBackoff, resumeAt: c.now() + delay}, p)
					if !p.quiet {
						p.event(Event{Kind: EventGroupFairStart, At: c.now(), GID: g.gid, Restarts: g.restarts, Delay: delay})
					}
					epoch := g.epoch
					p.fns = append(p.fns, func() { c.restartGroup(g, epoch, delay) })
					n++
					continue
				}
			}
			g.to(groupState{phase: phaseRunning}, p)
			started, gerrs := c.startGroupLocked(g, p)
			errs = append(errs, gerrs...)
			if started > 0 {
				n++
			}
		}
		return errors.Join(errs...)
	})
	return n, err
}

// ResumeGroup restarts group gid that is held, by its policy or its
// service (`resume GID`): the hold and the escalation are forgotten, its
// badness starts from zero, and its direct actors start as after a group
// restart. A group waiting in its backoff delay starts now instead, and a
// group reopened from the bank that Resume has not started yet (safe mode)
// starts alone.
func (c *Controller) ResumeGroup(gid int) error {
	if err := c.checkGID(gid); err != nil {
		return err
	}
	return c.locked(func(p *post) error {
		g := c.groups[gid]
		switch {
		case c.closing:
			return ErrShutdown
		case g == nil:
			return fmt.Errorf("%w: group %d", ErrNoGroup, gid)
		case g.unrunnable() != "":
			// resumed, it would show running with nothing running
			return fmt.Errorf("%w: group %d: %s; akill -g %d frees it", ErrUnrunnable, gid, g.unrunnable(), gid)
		case g.st.phase == phaseBackoff:
			// the operator decides, as for a held group: the restart the
			// failure counted happens now; the waiting worker gives up
			now := c.now()
			left := max(g.st.resumeAt-now, 0)
			g.epoch++
			g.quick = 0
			p.event(Event{Kind: EventGroupBackoffCut, At: now, GID: gid, Restarts: g.restarts, Delay: left})
			g.to(groupState{phase: phaseRunning}, p)
			_, errs := c.startGroupLocked(g, p)
			return errors.Join(errs...)
		case g.st.phase != phaseWaiting && !g.st.held():
			return fmt.Errorf("%w: group %d is %s, not held or in backoff", ErrGroupBusy, gid, g.st.word())
		}
		// held: the hold and the escalation are forgotten, in the record
		// before any member starts; waiting (reopened and not resumed: safe
		// mode, which aps shows as held): this one group starts, as Resume
		// would but without a fair start's delay, the others keep waiting
		held := g.st.held()
		g.to(groupState{phase: phaseRunning}, p)
		if held {
			g.escalated, g.badness, g.quick = false, 0, 0
		}
		g.countRestart()
		g.persist()
		p.event(Event{Kind: EventGroupResumed, At: c.now(), GID: gid, Restarts: g.restarts})
		_, errs := c.startGroupLocked(g, p)
		return errors.Join(errs...)
	})
}

// unrunnable says why group g has nothing that could start ("" when a
// direct member can): every member it has is kept as corrupt (open.go).
func (g *group) unrunnable() string {
	var why []string
	for _, m := range g.members {
		if m.corrupt == "" {
			return ""
		}
		why = append(why, fmt.Sprintf("the record of aid %d is not trusted (%s)", m.id, m.corrupt))
	}
	return strings.Join(why, "; ")
}
