package actors

import (
	"fmt"
	"io"
	"sync"
	"time"

	"github.com/hotrestart/tamago-hr/pmm"
	"github.com/hotrestart/tamago-hr/pmm/record"
)

// AID is an actor id: a per-incarnation credential, as in ChorusOS. Every
// start of every actor takes a new one, and the controller persists the
// counter (by leases), so aids keep growing across site restarts and an old
// aid can never name a newer actor. 0 is never an aid.
type AID uint32

// SiteRestartRequest is the controller's escalation: the kernel performs
// the site restart (on the board the call never comes back to the group).
type SiteRestartRequest struct {
	Group  int    // the group that caused it
	Actor  string // the member that failed, did not stop, or asked
	AID    AID
	Reason string // e.g. "policy: group 2 badness 4 > maxBadness 3 within 10s: 4 failures this boot"
	Kind   SiteKind
}

// SiteKind says why the controller asks for a site restart, so that the
// kernel's crash-loop breaker can tell a site-wide loop from one group's.
type SiteKind uint8

const (
	// SitePolicy: a group went over the restart policy. The policy itself
	// bounds these (a group that escalates again within its probation is
	// held instead), so they need not count towards safe mode.
	SitePolicy SiteKind = iota
	// SiteInconsistent: a member did not stop; only a site restart ends it.
	SiteInconsistent
	// SiteRequested: an actor asked (Context.RequestSiteRestart).
	SiteRequested
)

// Deps is what the kernel provides to the controller.
type Deps struct {
	// Clock drives every timed path; nil means RealClock.
	Clock Clock
	// RunTime is the persistent clock when New is called: the run time
	// summed over every boot of this bank (the kernel's crash-loop breaker
	// uses the same clock). The restart policy measures decay on it, so a
	// site restart neither forgives nor aggravates a group's failures. 0 on
	// a cold bank.
	RunTime time.Duration
	// SiteRestart performs a site restart; the controller calls it without
	// holding its lock, and copes with it returning (tests record). nil only
	// logs the request.
	SiteRestart func(SiteRestartRequest)
	// Log receives the controller's console lines (no trailing newline),
	// and, when Events is nil, every event's line (Event.String).
	Log func(format string, args ...any)
	// Events, optional, receives every Event (events.go) in the order they
	// happened, without the controller's lock held, instead of Log: the
	// kernel prints them (Event.String), tests assert them. nil: Log gets
	// their lines.
	Events func(Event)
	// Console receives the actors' output (Context.Printf); it must be safe
	// for concurrent use. nil discards.
	Console io.Writer
	// OnGoroutine, optional, is called on each actor goroutine when it
	// starts (true) and just before it ends (false), so that the kernel can
	// map a CPU fault to the actor it happened in.
	OnGoroutine func(start bool)
}

// Controller is the hot restart controller (HR_CTRL). All its state is
// guarded by one mutex, which is never held while actor code, the kernel's
// SiteRestart, Log or Events run: work that must happen after a state change is
// collected in a post and done once the lock is released.
type Controller struct {
	mu      sync.Mutex
	bank    *pmm.Bank
	cfg     Config
	progs   *Programs
	deps    Deps
	clock   Clock
	console io.Writer
	base    time.Time     // clock time at New: the origin of the controller's uptime
	runBase time.Duration // persistent clock at New (Deps.RunTime)

	closing  bool // Shutdown called: nothing starts any more
	ctl      *record.Record
	aidNext  AID // next aid to hand out
	leaseEnd AID // aids below it may be handed out without writing the controller record
	recLease AID // highest lease end found in the group and actor records (New)

	live       map[AID]*Context      // every running incarnation, ordinary ones included
	groups     []*group              // by gid; nil when unused
	names      map[string]*member    // registered restartable names
	registered int                   // members, corrupt records included (hrCtrl.maxActors)
	states     map[string]stater     // typed states loaded this boot, by bank name (Load); lazily made
	stateErrs  map[int]stateErr      // by gid: the last failed Load of this boot, until a Load of that name works; lazily made
	calls      map[string]*callEntry // served names (Serve, Call); lazily made
	callWake   chan struct{}         // closed when a name is served or a server's group changes (Call waits on it); lazily made
}

// group is one restart group, in memory and in its group record.
type group struct {
	c       *Controller
	gid     int
	key     string
	rec     *record.Record
	members []*member // registration order: directs restart in this order
	// st: where the group is in its life; only to (groupstate.go) moves it.
	st groupState

	restarts int
	badness  int
	failedAt time.Duration // persistent clock of the last failure (policy basis)
	// escalated, escalatedAt: it caused a site restart then (persistent
	// clock); a further escalation within the probation holds the group.
	// The policy's memory, not a state: a running group may be on probation.
	escalated   bool
	escalatedAt time.Duration
	// policy: its own restart policy (nil: the controller's tunables).
	// Persisted; fixed when the group is created.
	policy *Policy
	// served: the names its members serve (Serve), at most maxServed.
	// Persisted, so that calls know them across a site restart.
	served []string
	// carried: its badness as this boot found it, at its first failure of
	// the boot; bootFailures: failures charged this boot. Both only explain
	// an escalation.
	carried, bootFailures int

	quick       int // consecutive failures sooner than MinRunTime (backoff exponent)
	lastFailure string

	epoch  uint64        // bumped by every failure and kill: a stale restart worker gives up
	cancel chan struct{} // closed when the group goes or the controller shuts down

	enc []byte // its record as last encoded, the next encoding's buffer (Write copies it)

	// A restart in progress (restart.go): toStop of its members have not
	// ended yet; the last to end starts the group, after delay. lag fires
	// StopTimeout after the failure (lagAt, controller uptime) if one has
	// not ended by then.
	toStop  int
	delay   time.Duration
	victims []*Context // failLocked's buffer
	lag     FuncTimer  // made at the first restart
	lagAt   time.Duration
}

// member is a registered restartable actor: its record, in memory.
type member struct {
	id      AID
	rec     *record.Record
	g       *group
	name    string
	program string
	args    []string
	kind    Kind
	spawner string
	clean   bool
	gen     int
	corrupt string // why its record is not trusted; such a member never runs

	cur     *Context // the running incarnation, nil when none
	lastAID AID
	failed  string // why the last start failed, for aps

	// run: its program, once found (Programs only grows and a program's
	// code never changes), so a restart does not look it up by name.
	run Program
	// enc: its record as last written this boot (Write copies it into the
	// block), patched by the next write; guarded by c.mu.
	enc []byte
	// parked: the goroutine of its last incarnation, stopped by a group
	// restart, waits on park for the next one (restart.go); guarded by c.mu.
	parked bool
	park   chan *Context // capacity 1; made on first use
}

// New reopens the controller's records in the bank (its system blocks, all
// named "__SYS.hr.…"), finishes what a reset interrupted (a kill, a group
// termination, a registration) and reports in the log what it found. It
// starts nothing: the kernel calls Resume for that.
func New(bank *pmm.Bank, cfg Config, progs *Programs, deps Deps) (*Controller, error) {
	if err := cfg.Validate(); err != nil {
		return nil, err
	}
	if bank == nil {
		return nil, fmt.Errorf("%w: no bank", ErrBadConfig)
	}
	if progs == nil {
		progs = &Programs{}
	}
	c := &Controller{
		bank: bank, cfg: cfg, progs: progs, deps: deps, clock: deps.Clock,
		console: deps.Console,
		live:    make(map[AID]*Context),
		groups:  make([]*group, cfg.MaxGroups),
		names:   make(map[string]*member),
	}
	if c.clock == nil {
		c.clock = RealClock{}
	}
	if c.console == nil {
		c.console = io.Discard
	}
	c.base = c.clock.Now()
	c.runBase = deps.RunTime
	p := c.post()
	c.mu.Lock()
	err := c.open(&p)
	c.mu.Unlock()
	c.flush(&p)
	if err != nil {
		return nil, err
	}
	return c, nil
}

// now is the controller's uptime on its clock.
func (c *Controller) now() time.Duration { return c.clock.Now().Sub(c.base) }

// pnow is the persistent clock: run time summed over boots (policy basis).
func (c *Controller) pnow() time.Duration { return c.runBase + c.now() }

func (c *Controller) logf(format string, args ...any) {
	if c.deps.Log != nil {
		c.deps.Log(format, args...)
	}
}

// post collects what must happen once the lock is released: log lines and
// events, actor goroutines to start, controller goroutines, site restart
// requests.
type post struct {
	quiet  bool // neither Log nor Events: no line is formatted, no event built
	noLog  bool // no Log: lines are not formatted
	logs   []string
	events []queued
	starts []*Context
	fns    []func()
	sites  []SiteRestartRequest
	// failed: groups whose restart waits for this post's log (restart.go),
	// in failedBuf for the usual one: no allocation for it
	failed    []failedGroup
	failedBuf [1]failedGroup
}

// queued is an event in a post: it comes before logs[before].
type queued struct {
	before int
	e      Event
}

// post returns an empty post for this controller.
func (c *Controller) post() post {
	return post{quiet: c.deps.Log == nil && c.deps.Events == nil, noLog: c.deps.Log == nil}
}

func (p *post) logf(format string, args ...any) {
	if !p.noLog {
		p.logs = append(p.logs, fmt.Sprintf(format, args...))
	}
}

// event queues e; callers build it only when !p.quiet.
func (p *post) event(e Event) {
	if !p.quiet {
		p.events = append(p.events, queued{len(p.logs), e})
	}
}

// emit delivers e to Events, or its line to Log.
func (c *Controller) emit(e Event) {
	if c.deps.Events != nil {
		c.deps.Events(e)
		return
	}
	if c.deps.Log != nil {
		c.logf("%s", e.String())
	}
}

func (c *Controller) flush(p *post) {
	ev := p.events
	for i, l := range p.logs {
		for len(ev) > 0 && ev[0].before == i {
			c.emit(ev[0].e)
			ev = ev[1:]
		}
		c.logf("%s", l)
	}
	for _, q := range ev {
		c.emit(q.e)
	}
	for _, x := range p.starts {
		if x.reuse {
			x.m.park <- x // the goroutine parked for it; never blocks (capacity 1, one sender)
		} else {
			go c.runActor(x)
		}
	}
	for _, fn := range p.fns {
		go fn()
	}
	for _, f := range p.failed {
		c.failureLogged(f)
	}
	for _, r := range p.sites {
		c.logf("hr: site restart requested: group %d: %s", r.Group, r.Reason)
		if c.deps.SiteRestart != nil {
			c.deps.SiteRestart(r)
		}
	}
}

// locked runs fn under the lock and then does what it posted.
func (c *Controller) locked(fn func(p *post) error) error {
	p := c.post()
	c.mu.Lock()
	err := fn(&p)
	c.mu.Unlock()
	c.flush(&p)
	return err
}

// checkGID checks the group id of a restartable actor.
func (c *Controller) checkGID(gid int) error {
	switch {
	case gid < 0:
		return fmt.Errorf("%w: %d", ErrBadGroup, gid)
	case gid >= c.cfg.MaxGroups:
		return fmt.Errorf("%w: group %d, ids are 0…%d", ErrTooManyGroups, gid, c.cfg.MaxGroups-1)
	}
	return nil
}

// closeCancel closes the group's cancel channel once (with c.mu held).
func (g *group) closeCancel() {
	select {
	case <-g.cancel:
	default:
		close(g.cancel)
	}
}

func (g *group) persist() {
	if g.rec == nil {
		return // its record could not be recreated at New; logged then
	}
	// A record write only fails on an oversized payload; a group record is
	// at most 33 bytes plus a last failure bounded by maxLastFailure.
	g.enc = g.record().encodeTo(g.enc)
	_ = g.rec.Write(g.enc)
}

// record is g as its group record holds it. The record's flags are the
// state's: killed while killing (a reset finishes the kill), held and by
// whom while held.
func (g *group) record() groupRec {
	return groupRec{gid: g.gid, killed: g.st.phase == phaseKilling, held: g.st.held(), escalated: g.escalated,
		badness: g.badness, failedAt: int64(g.failedAt), restarts: g.restarts,
		escalatedAt: int64(g.escalatedAt), leaseEnd: g.lease(), lastFailure: g.lastFailure,
		heldByService: g.st.phase == phaseHeldService, holdWhy: g.st.why, policy: g.policy, served: g.served}
}

// lease is the controller's aid lease end, 0 before the group is attached.
func (g *group) lease() AID {
	if g.c == nil {
		return 0
	}
	return g.c.leaseEnd
}

func (m *member) persist() error {
	r := actorRec{id: m.id, leaseEnd: m.g.lease(), gid: m.g.gid, kind: m.kind, clean: m.clean, gen: m.gen,
		name: m.name, program: m.program, spawner: m.spawner, args: m.args}
	if len(m.enc) > 0 {
		// After its first write of this boot only a member's clean flag,
		// generation and lease end change: the same bytes as encodeTo,
		// without encoding the names and arguments again at every restart.
		r.patch(m.enc)
	} else {
		m.enc = r.encodeTo(nil)
	}
	if err := m.rec.Write(m.enc); err != nil {
		return tooLong(err) // checkArgs bounds every record first
	}
	return nil
}

// tooLong wraps a record write's error; out of line so that persist's
// frame, on the restart worker's small stack, stays small.
//
//go:noinline
func tooLong(err error) error { return fmt.Errorf("%w: %v", ErrTooLong, err) }
