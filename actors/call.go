package actors

import (
	"errors"
	"fmt"
	"slices"
	"time"
)

// Calls to an actor, as gen_server:call: an actor serves a name with
// Serve and answers the requests it receives in its own loop (so its state
// keeps one writer); anyone with the Controller or a Context calls it with
// Call, typed, with a deadline. The name is registered for the serving
// incarnation's lifetime: gone when it stops, there again when it restarts
// and serves again. While its group restarts (stopping, backoff, or
// started and not serving yet) a call waits, up to its deadline; a call to
// a held group, a group being killed or a name nobody serves fails at
// once, saying so; a server that ends during a call (a crash) fails the
// call at once. The registry lives in the Controller, in memory: after a
// site restart the names come back as the groups resume and serve.

var (
	// ErrNoService: no actor serves that name (never did, or its group
	// ended).
	ErrNoService = errors.New("actors: no such service")
	// ErrCallTimeout: the deadline passed before the reply.
	ErrCallTimeout = errors.New("actors: call timed out")
	// ErrCallFailed: the server ended (crashed, was killed, or its group
	// restarted) before it replied.
	ErrCallFailed = errors.New("actors: server ended during the call")
	// ErrCallType: the name is served with other request or reply types.
	ErrCallType = errors.New("actors: wrong types for the service")
	// ErrCallSelf: an actor called a name it serves itself (its loop could
	// never take the request), as gen_server's calling_self.
	ErrCallSelf = errors.New("actors: call to itself")
)

// Request is one call as its server receives it: Arg is the request;
// Reply answers it (the first Reply counts, later ones are dropped).
type Request[Req, Rep any] struct {
	Arg   Req
	reply chan result[Rep] // capacity 1
}

type result[Rep any] struct {
	v   Rep
	err error
}

// Reply answers the call with v, or with err (the caller's Call returns
// err as it is). It never blocks.
func (r *Request[Req, Rep]) Reply(v Rep, err error) {
	select {
	case r.reply <- result[Rep]{v, err}:
	default:
	}
}

// callEntry is a served name: the group that serves it (-1 for an ordinary
// actor) and, while an incarnation serves it, that incarnation and its
// request channel (a chan *Request[Req, Rep], typed by Serve).
type callEntry struct {
	gid   int
	owner *Context // nil while not served (its group restarts)
	ch    any
}

// Serve registers name for this incarnation and returns the channel its
// requests arrive on: the actor receives from it in its loop and answers
// each with Reply. name is 1..MaxActorName printable ASCII bytes without
// spaces. A name served by a running actor, or registered by another
// group, is ErrNameTaken; an incarnation told to stop gets ErrStopped.
func Serve[Req, Rep any](ctx *Context, name string) (<-chan *Request[Req, Rep], error) {
	if err := checkName(name, MaxActorName); err != nil {
		return nil, err
	}
	ch := make(chan *Request[Req, Rep])
	c := ctx.c
	err := c.locked(func(p *post) error {
		if ctx.stopping {
			return ErrStopped
		}
		gid := ctx.Group()
		e := c.calls[name]
		switch {
		case e != nil && e.owner != nil && e.owner != ctx:
			return fmt.Errorf("%w: %s is served by aid %d %s", ErrNameTaken, name, e.owner.aid, e.owner.name)
		case e != nil && e.gid != gid && c.groupOf(e.gid) != nil:
			return fmt.Errorf("%w: %s is group %d's", ErrNameTaken, name, e.gid)
		}
		if c.calls == nil {
			c.calls = make(map[string]*callEntry)
		}
		c.calls[name] = &callEntry{gid: gid, owner: ctx, ch: ch}
		if g := c.groupOf(gid); g != nil && !slices.Contains(g.served, name) && len(g.served) < maxServed {
			g.served = append(g.served, name)
			g.persist()
		}
		c.callsChangedLocked()
		return nil
	})
	if err != nil {
		return nil, err
	}
	return ch, nil
}

// Caller is who may Call: the Controller (the kernel, console commands)
// or a Context (another actor; its call also ends when it is told to stop).
type Caller interface {
	caller() (*Controller, *Context)
}

func (c *Controller) caller() (*Controller, *Context) { return c, nil }
func (x *Context) caller() (*Controller, *Context)    { return x.c, x }

// Call sends arg to the actor serving name and returns its reply, waiting
// at most timeout on the controller's clock. Errors: ErrNoService, ErrHeld
// ("odometer@1 is held (policy): resume 1"), ErrShutdown, ErrGroupBusy
// (group killed or escalating), ErrCallType, ErrCallSelf (an actor calling
// a name it serves), ErrCallTimeout, ErrCallFailed
// (the server ended before replying), ErrStopped (a calling actor told to
// stop); or the error the server replied with.
func Call[Req, Rep any](from Caller, name string, arg Req, timeout time.Duration) (Rep, error) {
	var zero Rep
	if timeout <= 0 {
		return zero, fmt.Errorf("%w: %s: timeout %v (want more than 0)", ErrCallTimeout, name, timeout)
	}
	c, self := from.caller()
	var selfStop <-chan struct{}
	if self != nil {
		selfStop = self.stop
	}
	t := c.clock.NewTimer(timeout)
	defer t.Stop()
	timedOut := func(what string) error {
		return fmt.Errorf("%w: %s %s within %v", ErrCallTimeout, name, what, timeout)
	}
	for {
		c.mu.Lock()
		owner, ch, wake, err := c.lookupCallLocked(name)
		var ownerEnd <-chan struct{} // closed once the owner's end has been handled
		if owner != nil {
			ownerEnd = c.finishedLocked(owner)
		}
		c.mu.Unlock()
		if err != nil {
			return zero, err
		}
		if owner == nil { // restarting: wait for it to serve again
			select {
			case <-wake:
				continue
			case <-t.C():
				return zero, timedOut("did not come back")
			case <-selfStop:
				return zero, ErrStopped
			}
		}
		if owner == self {
			return zero, fmt.Errorf("%w: aid %d %s serves %s", ErrCallSelf, self.aid, self.name, name)
		}
		reqs, ok := ch.(chan *Request[Req, Rep])
		if !ok {
			return zero, fmt.Errorf("%w: %s takes %s, not %T", ErrCallType, name, chanElem(ch), &Request[Req, Rep]{})
		}
		r := &Request[Req, Rep]{Arg: arg, reply: make(chan result[Rep], 1)}
		select {
		case reqs <- r:
		case <-owner.stop: // it is going: wait for the next incarnation
			select {
			case <-ownerEnd:
			case <-t.C():
				return zero, timedOut("did not come back")
			case <-selfStop:
				return zero, ErrStopped
			}
			continue
		case <-t.C():
			return zero, timedOut("did not take the request")
		case <-selfStop:
			return zero, ErrStopped
		}
		select {
		case res := <-r.reply:
			return res.v, res.err
		case <-ownerEnd:
			select { // it may have replied just before it ended
			case res := <-r.reply:
				return res.v, res.err
			default:
			}
			return zero, fmt.Errorf("%w: aid %d %s ended before replying to %s", ErrCallFailed, owner.aid, owner.name, name)
		case <-t.C():
			return zero, timedOut("did not reply")
		case <-selfStop:
			return zero, ErrStopped
		}
	}
}

// chanElem names a request channel's element type, for ErrCallType.
func chanElem(ch any) string { return fmt.Sprintf("%T", ch)[len("chan "):] }

// lookupCallLocked finds who serves name now: its owner and channel; or,
// while its group restarts, nothing and the channel to wait on; or the
// error that fails the call at once.
func (c *Controller) lookupCallLocked(name string) (*Context, any, <-chan struct{}, error) {
	if c.closing {
		return nil, nil, nil, fmt.Errorf("%w: %s not called", ErrShutdown, name)
	}
	e := c.calls[name]
	if e == nil {
		return nil, nil, nil, fmt.Errorf("%w: nobody serves %s", ErrNoService, name)
	}
	if e.owner != nil && !e.owner.stopping {
		return e.owner, e.ch, nil, nil
	}
	g := c.groupOf(e.gid)
	switch {
	case g == nil:
		return nil, nil, nil, fmt.Errorf("%w: nobody serves %s (its group ended)", ErrNoService, name)
	case g.st.held():
		_, why := g.st.shown()
		return nil, nil, nil, &callError{fmt.Sprintf("%s is held (%s): resume %d", name, why, g.gid), ErrHeld}
	case g.st.phase == phaseWaiting:
		return nil, nil, nil, &callError{fmt.Sprintf("%s is stopped (safe mode): resume", name), ErrHeld}
	case g.st.phase == phaseKilling || g.st.phase == phaseSiteRestart:
		return nil, nil, nil, fmt.Errorf("%w: %s: group %d is %s", ErrGroupBusy, name, g.gid, g.st.word())
	}
	if c.callWake == nil {
		c.callWake = make(chan struct{})
	}
	return nil, nil, c.callWake, nil
}

// callError is an error whose text is the whole message (the operator
// reads "odometer@1 is held (policy): resume 1") and that wraps a
// sentinel for errors.Is.
type callError struct {
	text string
	err  error
}

func (e *callError) Error() string { return e.text }
func (e *callError) Unwrap() error { return e.err }

// groupOf is group gid, nil for -1 or a group not in use.
func (c *Controller) groupOf(gid int) *group {
	if gid < 0 || gid >= len(c.groups) {
		return nil
	}
	return c.groups[gid]
}

// callsChangedLocked wakes the calls waiting for a server: one served a
// name, or a group was held or ended.
func (c *Controller) callsChangedLocked() {
	if c.callWake != nil {
		close(c.callWake)
		c.callWake = nil
	}
}

// dropCallsLocked unregisters what x served, as it ends; an ordinary
// actor's names, and those of a group that ended, go for good.
func (c *Controller) dropCallsLocked(x *Context) {
	for name, e := range c.calls {
		if e.owner == x {
			e.owner, e.ch = nil, nil
			if c.groupOf(e.gid) == nil || x.m == nil {
				delete(c.calls, name)
			}
			c.callsChangedLocked()
		}
	}
}

// maxServed bounds the names a group record keeps (more are served, but
// unknown after a site restart until they are served again).
const maxServed = 8

// reopenCallsLocked registers the names group g served before the site
// restart, unserved: a call waits for them while g resumes, and fails at
// once, saying why, while g is held.
func (c *Controller) reopenCallsLocked(g *group, served []string) {
	for _, name := range served {
		if checkName(name, MaxActorName) != nil || len(g.served) >= maxServed || c.calls[name] != nil {
			continue
		}
		if c.calls == nil {
			c.calls = make(map[string]*callEntry)
		}
		c.calls[name] = &callEntry{gid: g.gid}
		g.served = append(g.served, name)
	}
}

// dropGroupCallsLocked unregisters the names of group gid, which ended.
func (c *Controller) dropGroupCallsLocked(gid int) {
	for name, e := range c.calls {
		if e.gid == gid {
			delete(c.calls, name)
			c.callsChangedLocked()
		}
	}
}

// ServiceInfo is one served name, for a console command that lists them.
type ServiceInfo struct {
	Name  string
	Group int  // -1 for an ordinary actor
	AID   AID  // the serving incarnation; 0 while its group restarts or is held
	Held  bool // its group is held
}

// Services lists the names served now or registered by a group that
// restarts or is held, sorted by name.
func (c *Controller) Services() []ServiceInfo {
	c.mu.Lock()
	defer c.mu.Unlock()
	var out []ServiceInfo
	for name, e := range c.calls {
		si := ServiceInfo{Name: name, Group: e.gid}
		if e.owner != nil && !e.owner.stopping {
			si.AID = e.owner.aid
		}
		if g := c.groupOf(e.gid); g != nil {
			si.Held = g.st.held()
		}
		out = append(out, si)
	}
	slices.SortFunc(out, func(a, b ServiceInfo) int {
		switch {
		case a.Name < b.Name:
			return -1
		case a.Name > b.Name:
			return 1
		}
		return 0
	})
	return out
}
