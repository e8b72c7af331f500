package actors

import (
	"errors"
	"fmt"
	"strings"
)

// ErrHeld: the actor's group is held (Context.Hold, or the restart
// policy); Hold returns it, and a Call to a held actor fails with it.
var ErrHeld = errors.New("actors: held")

// Hold ends the group for good and keeps every block it has: the third
// way to end, beside done (`return ctx.Exit()`: the group ends and its
// state is freed) and failed (an error or a panic: the group restarts per
// its policy). Use it for what a restart cannot mend and the state must
// not be lost for: a state that this version cannot load, a bank with no
// room. Every member is told to stop; the group shows as held-service in
// aps with reason, and stays held across site restarts until the operator
// decides: `resume GID` starts it again, `akill -g GID` frees it. It
// returns an error wrapping ErrHeld, for `return ctx.Hold(reason)`; a Hold
// takes precedence over an Exit in the same incarnation. An ordinary actor
// has no group to hold: its Hold is ErrNotRestartable, and it ends failed.
func (x *Context) Hold(reason string) error {
	if x.m == nil {
		return fmt.Errorf("%w: %s cannot Hold: it has no group", ErrNotRestartable, x.name)
	}
	reason = truncate(oneLine(reason), maxLastFailure)
	x.hold.Store(&reason)
	return fmt.Errorf("%w: %s", ErrHeld, reason)
}

// oneLine keeps a reason on one line of aps and of the log: control
// characters become spaces.
func oneLine(s string) string {
	return strings.Map(func(r rune) rune {
		if r < 0x20 || r == 0x7f {
			return ' '
		}
		return r
	}, s)
}

// holdServiceLocked holds g because its member x returned after Hold.
// Nothing is charged to the policy and nothing is freed.
func (c *Controller) holdServiceLocked(g *group, x *Context, why string, o outcome, p *post) {
	if g.st.phase != phaseRunning {
		return // already stopping for another reason, which wins
	}
	if o.panicked {
		p.logf("hr: aid %d %s: %s after Hold(): the group is held as asked", x.aid, x.name, o.cause())
	}
	g.epoch++
	victims := c.stopGroupLocked(g)
	g.to(groupState{phase: phaseHeldService, why: why}, p)
	g.lastFailure = fmt.Sprintf("aid %d %s held it: %s", x.aid, x.name, why)
	g.persist()
	if !p.quiet {
		p.event(Event{Kind: EventGroupHeldService, At: c.now(), GID: g.gid, AID: x.aid, Actor: x.name, Reason: why})
	}
	c.awaitHeld(g, victims, p)
}

// holder says who holds g, for logs and call errors.
func (g *group) holder() string {
	if g.st.phase == phaseHeldService {
		return "its service: " + g.st.why
	}
	return "the policy"
}

// ReleaseServiceHold forgets the hold of group gid when its service (not
// the policy) made it, so that Resume starts it: the kernel calls it for
// the groups an upgrade's trial watched when that trial is rolled back,
// since the hold was the rolled-back version's. It returns the reason
// released, "" when the group is not held by its service.
func (c *Controller) ReleaseServiceHold(gid int) string {
	why := ""
	_ = c.locked(func(p *post) error {
		if gid < 0 || gid >= len(c.groups) {
			return nil
		}
		g := c.groups[gid]
		if g == nil || g.st.phase != phaseHeldService {
			return nil
		}
		why = g.st.why
		g.to(groupState{phase: phaseWaiting}, p)
		g.persist()
		return nil
	})
	return why
}
