package actors

import (
	"bytes"
	"errors"
	"fmt"
	"runtime/debug"
)

// maxStack bounds the stack kept for the log of a panic.
const maxStack = 8 << 10

// outcome is how a program's goroutine ended.
type outcome struct {
	err      error
	panicked bool
	value    any    // the panic value
	stack    []byte // where it panicked
}

var errGoexit = errors.New("goroutine exited without returning (runtime.Goexit)")

// cause describes an abnormal end of a restartable actor for the log.
func (o outcome) cause() string {
	switch {
	case o.panicked:
		return fmt.Sprintf("panic: %v", o.value)
	case o.err != nil:
		return fmt.Sprintf("error: %v", o.err)
	}
	return "premature exit (returned without Exit)"
}

// runActor is the body of every actor goroutine: it runs x and, when its
// group's restart is to start the member again, the next incarnations the
// restart hands it (parked on the member's park channel meanwhile): a
// goroutine's creation and end cost a group restart more than its records.
func (c *Controller) runActor(x *Context) {
	for {
		park := c.runIncarnation(x)
		if park == nil {
			return
		}
		if x = <-park; x == nil {
			return // the group does not start again now
		}
	}
}

// runIncarnation runs one incarnation. Whatever the program does — return,
// panic (CPU faults included: the kernel turns them into panics of this
// goroutine), runtime.Goexit — the controller hears of it exactly once. It
// returns the channel to wait on for the member's next incarnation, nil
// when the goroutine ends.
func (c *Controller) runIncarnation(x *Context) (park chan *Context) {
	hook := c.deps.OnGoroutine
	if hook != nil {
		hook(true)
	}
	o := outcome{err: errGoexit}
	returned := false // false in the deferred call: runtime.Goexit ends the goroutine
	defer func() {
		if hook != nil {
			hook(false)
		}
		park = c.exited(x, o, returned)
	}()
	o = x.call()
	returned = true
	return nil
}

// call runs the program, turning a panic into an outcome with its stack.
func (x *Context) call() (o outcome) {
	defer func() {
		if r := recover(); r != nil {
			s := bytes.TrimRight(debug.Stack(), "\n")
			if len(s) > maxStack {
				s = append(s[:maxStack:maxStack], "\n…"...)
			}
			o = outcome{panicked: true, value: r, stack: s}
		}
	}()
	return outcome{err: x.prog(x)}
}

// exited classifies the end of an incarnation and acts on it:
//   - told to stop (its group restarts or is killed, or shutdown): nothing,
//     whatever it returned;
//   - ordinary actor: logged, never restarted;
//   - Hold() was called: the group is held, its blocks kept (hold.go);
//   - Exit() was called: clean; when every member of the group has
//     terminated cleanly, the group terminates;
//   - otherwise (panic, error, nil without Exit, Goexit): abnormal, the
//     group restarts (or the policy escalates).
//
// The goroutine of a direct member that returned when told to stop by its
// group's restart parks for the next incarnation (the park channel is
// returned); the restart hands it over (startGroupLocked) or releases it
// (unparkLocked).
func (c *Controller) exited(x *Context, o outcome, returned bool) chan *Context {
	c.mu.Lock()
	delete(c.live, x.aid)
	x.ended = true
	fin := x.finished // nil when nobody waits for this end: nothing to close
	m := x.m
	if m != nil && m.cur == x {
		m.cur = nil
	}
	if len(c.calls) > 0 {
		c.dropCallsLocked(x)
	}
	// the last member of a restart to end goes on with it (stoppedLocked)
	last := false
	if m != nil && x.stopping && m.g.toStop > 0 && m.g.st.phase == phaseStopping {
		m.g.toStop--
		last = m.g.toStop == 0
	}
	if x.stopping && !o.panicked {
		// The common end, in every group restart: nothing to log or
		// decide. Kept apart from exitedLocked so that this goroutine's
		// frames stay small: a fresh goroutine's stack is 2 KiB, and
		// growing it (a copy) was a fifth of a restart's cost.
		var park chan *Context
		if returned && m != nil && m.kind == Direct && m.g.st.phase == phaseStopping {
			park = m.parkCh()
		}
		if last {
			c.lastEnded(x, fin)
			return park
		}
		c.mu.Unlock()
		closeFinished(fin)
		return park
	}
	p := c.post()
	c.exitedLocked(x, m, o, &p)
	if last {
		c.stoppedLocked(m.g, &p)
	}
	c.stopLocked(x) // goroutines the program left behind see Done too
	c.mu.Unlock()
	closeFinished(fin)
	c.flush(&p)
	return nil
}

// closeFinished closes an incarnation's finished channel, if one was made.
func closeFinished(fin chan struct{}) {
	if fin != nil {
		close(fin)
	}
}

// finishedLocked returns a channel closed once x's end has been handled
// (already closed if x has ended): made on the first wait, since a
// restart's members end without anyone waiting for them.
func (c *Controller) finishedLocked(x *Context) <-chan struct{} {
	if x.finished == nil {
		x.finished = make(chan struct{})
		if x.ended { // exited found none to close
			close(x.finished)
		}
	}
	return x.finished
}

// lastEnded goes on with the restart of x's group, x being the last of its
// members to end, and unlocks: on this goroutine, its own next incarnation
// is already in park when exited returns it. Out of line, as the common end.
//
//go:noinline
func (c *Controller) lastEnded(x *Context, fin chan struct{}) {
	p := c.post()
	c.stoppedLocked(x.m.g, &p)
	c.mu.Unlock()
	closeFinished(fin)
	c.flush(&p)
}

// parkCh marks m's goroutine parked and returns the channel it waits on.
func (m *member) parkCh() chan *Context {
	if m.park == nil {
		m.park = make(chan *Context, 1)
	}
	m.parked = true
	return m.park
}

// unparkLocked ends the parked goroutines of g's members: the group does
// not start again now (or started without them).
func unparkLocked(g *group) {
	for _, m := range g.members {
		if m.parked {
			m.parked = false
			m.park <- nil
		}
	}
}

// exitedLocked is exited's decision for an end that was not asked for (or
// a panic while stopping).
func (c *Controller) exitedLocked(x *Context, m *member, o outcome, p *post) {
	switch {
	case x.stopping:
		if o.panicked {
			p.logf("hr: aid %d %s panicked while stopping: %v\n%s", x.aid, x.name, o.value, o.stack)
		}
	case m == nil:
		if !p.quiet {
			p.event(Event{Kind: EventActorExited, At: c.now(), GID: -1, AID: x.aid, Actor: x.name,
				Panicked: o.panicked, Panic: o.value, Stack: o.stack, Err: o.err})
		}
	case x.hold.Load() != nil:
		c.holdServiceLocked(m.g, x, *x.hold.Load(), o, p)
	case x.clean.Load():
		if o.panicked || o.err != nil {
			p.logf("hr: aid %d %s: %s after Exit(): counted as clean", x.aid, x.name, o.cause())
		}
		m.clean = true
		_ = m.persist()
		if g := m.g; g.allClean() {
			n := c.removeGroupLocked(g, p)
			p.event(Event{Kind: EventGroupTerminated, At: c.now(), GID: g.gid, Members: len(g.members), Blocks: n})
		}
	default:
		if o.panicked && !p.quiet {
			p.event(Event{Kind: EventActorExited, At: c.now(), GID: m.g.gid, AID: x.aid, Actor: x.name,
				Panicked: true, Panic: o.value, Stack: o.stack})
		}
		c.failLocked(m.g, x, o.cause(), p)
	}
}
