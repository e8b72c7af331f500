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

// runActor is the body of every actor goroutine. Whatever the program does
// — return, panic (CPU faults included: the kernel turns them into panics
// of this goroutine), runtime.Goexit — the controller hears of it exactly
// once.
func (c *Controller) runActor(x *Context) {
	hook := c.deps.OnGoroutine
	if hook != nil {
		hook(true)
	}
	o := outcome{err: errGoexit}
	defer func() {
		if hook != nil {
			hook(false)
		}
		c.exited(x, o)
	}()
	o = x.call()
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
func (c *Controller) exited(x *Context, o outcome) {
	c.mu.Lock()
	delete(c.live, x.aid)
	x.ended = true
	m := x.m
	if m != nil && m.cur == x {
		m.cur = nil
	}
	if len(c.calls) > 0 {
		c.dropCallsLocked(x)
	}
	if x.stopping && !o.panicked {
		// The common end, in every group restart: nothing to log or
		// decide. Kept apart from exitedLocked so that this goroutine's
		// frames stay small: a fresh goroutine's stack is 2 KiB, and
		// growing it (a copy) was a fifth of a restart's cost.
		c.mu.Unlock()
		close(x.finished)
		return
	}
	p := c.post()
	c.exitedLocked(x, m, o, &p)
	c.stopLocked(x) // goroutines the program left behind see Done too
	c.mu.Unlock()
	close(x.finished)
	c.flush(&p)
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
