package actors_test

import (
	"bytes"
	"errors"
	"fmt"
	"runtime"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"github.com/hotrestart/tamago-hr/actors"
	"github.com/hotrestart/tamago-hr/actors/fakeclock"
	"github.com/hotrestart/tamago-hr/pmm"
)

// waitLimit bounds every wait on a condition. It is a guard against a hung
// test, not a timing assumption: conditions are met as soon as the
// goroutines involved have run.
const waitLimit = 20 * time.Second

// env is one controller on a fake clock over a bank in a plain []byte, with
// recorders for its log, site restart requests and console, and test
// programs whose behaviour the test controls through gates and actions.
type env struct {
	t     *testing.T
	mem   []byte
	geo   pmm.Geometry
	bank  *pmm.Bank
	clk   *fakeclock.Clock
	t0    time.Time // the fake clock at the first boot: the persistent clock's origin
	base  time.Time // the fake clock at this boot's New: the origin of Event.At
	cfg   actors.Config
	progs *actors.Programs
	ctl   *actors.Controller

	logs    lines
	events  recorder[actors.Event] // every event; its line is in logs too, as the kernel prints it
	sites   recorder[actors.SiteRestartRequest]
	console syncBuffer

	mu      sync.Mutex
	gates   map[string]chan struct{}
	actions map[string]chan action
	beats   chan chan struct{}
	hooks   struct{ starts, ends int }
}

// action runs on a "cmd" actor's goroutine; stop ends the program with ret.
type action func(ctx *actors.Context) (stop bool, ret error)

type option func(*env)

func withConfig(f func(*actors.Config)) option { return func(e *env) { f(&e.cfg) } }
func withBank(size, blocks int) option {
	return func(e *env) { e.geo = pmm.Geometry{Size: size, MaxBlocks: blocks} }
}

func testConfig() actors.Config {
	c := actors.DefaultConfig()
	c.MinRunTime = 0 // backoff has its own tests
	return c
}

func newEnv(t *testing.T, opts ...option) *env {
	t.Helper()
	e := &env{t: t, clk: fakeclock.New(), cfg: testConfig(),
		geo:   pmm.Geometry{Size: 512 << 10, MaxBlocks: 64},
		gates: map[string]chan struct{}{}, actions: map[string]chan action{}, beats: make(chan chan struct{})}
	for _, o := range opts {
		o(e)
	}
	e.t0 = e.clk.Now()
	e.mem = make([]byte, e.geo.Size)
	e.progs = &actors.Programs{}
	e.registerPrograms()
	e.open()
	t.Cleanup(e.cleanup)
	return e
}

// open opens the bank in e.mem and a controller on it: a boot.
func (e *env) open() {
	e.t.Helper()
	bank, _, err := pmm.Open(e.mem, e.geo)
	require.NoError(e.t, err)
	e.bank = bank
	e.base = e.clk.Now()
	ctl, err := actors.New(bank, e.cfg, e.progs, actors.Deps{
		Clock:       e.clk,
		RunTime:     e.clk.Now().Sub(e.t0), // boots follow each other without down time
		SiteRestart: e.sites.add,
		Log:         func(f string, a ...any) { e.logs.add(fmt.Sprintf(f, a...)) },
		Events:      func(ev actors.Event) { e.events.add(ev); e.logs.add(ev.String()) },
		Console:     &e.console,
		OnGoroutine: e.hook,
	})
	require.NoError(e.t, err)
	e.ctl = ctl
}

// reboot simulates a site restart: every actor stops, then the bank and
// the controller are opened again on the same bytes.
func (e *env) reboot() {
	e.t.Helper()
	require.NoError(e.t, e.shutdown())
	e.open()
}

func (e *env) hook(start bool) {
	e.mu.Lock()
	defer e.mu.Unlock()
	if start {
		e.hooks.starts++
	} else {
		e.hooks.ends++
	}
}

// shutdown stops the controller. The clock is not advanced: every test
// program returns when stopped (or when its gate opens), so Shutdown's
// timeout never expires and nobody is reported for being slow to run.
func (e *env) shutdown() error {
	errc := make(chan error, 1)
	go func() { errc <- e.ctl.Shutdown(time.Second) }()
	select {
	case err := <-errc:
		return err
	case <-time.After(waitLimit):
		return errors.New("shutdown hung")
	}
}

func (e *env) cleanup() {
	e.mu.Lock()
	for k, g := range e.gates {
		select {
		case <-g:
		default:
			close(g)
		}
		delete(e.gates, k)
	}
	e.mu.Unlock()
	_ = e.shutdown()
}

// gate returns the channel named key; open closes it.
func (e *env) gate(key string) chan struct{} {
	e.mu.Lock()
	defer e.mu.Unlock()
	g, ok := e.gates[key]
	if !ok {
		g = make(chan struct{})
		e.gates[key] = g
	}
	return g
}

func (e *env) release(key string) { close(e.gate(key)) }

func (e *env) actionsOf(name string) chan action {
	e.mu.Lock()
	defer e.mu.Unlock()
	ch, ok := e.actions[name]
	if !ok {
		ch = make(chan action)
		e.actions[name] = ch
	}
	return ch
}

// do runs a on the "cmd" actor named name and waits until it has run.
func (e *env) do(name string, a action) {
	e.t.Helper()
	done := make(chan struct{})
	wrapped := func(ctx *actors.Context) (stop bool, ret error) {
		defer close(done)
		return a(ctx)
	}
	select {
	case e.actionsOf(name) <- wrapped:
	case <-time.After(waitLimit):
		e.t.Fatalf("%s does not take actions", name)
	}
	<-done
}

var errInjected = errors.New("injected error")

// misbehave is what the test programs do with an injected fault.
func misbehave(ctx *actors.Context, kind string) error {
	switch kind {
	case "panic":
		panic("injected panic")
	case "exit":
		return nil
	case "hang":
		<-ctx.Done()
		return actors.ErrStopped
	}
	return errInjected
}

func (e *env) registerPrograms() {
	reg := func(name string, p actors.Program) { require.NoError(e.t, e.progs.Register(name, p, name+" (test)")) }
	// wait: runs until stopped; acts on injected faults.
	reg("wait", func(ctx *actors.Context) error {
		select {
		case <-ctx.Done():
			return actors.ErrStopped
		case k := <-ctx.Faults():
			return misbehave(ctx, k)
		}
	})
	// cmd: runs the actions the test sends to its name.
	reg("cmd", func(ctx *actors.Context) error {
		ch := e.actionsOf(ctx.Name())
		for {
			select {
			case <-ctx.Done():
				return actors.ErrStopped
			case a := <-ch:
				if stop, ret := a(ctx); stop {
					return ret
				}
			}
		}
	})
	// parent MODE KID PROGRAM ARGS…: spawns KID always, or only in its first
	// generation (MODE once), then waits.
	reg("parent", func(ctx *actors.Context) error {
		a := ctx.Args()
		if a[0] == "always" || ctx.Generation() == 1 {
			if _, err := ctx.Spawn(a[1], a[2], a[3:]...); err != nil {
				return err
			}
		}
		<-ctx.Done()
		return actors.ErrStopped
	})
	// stubborn: ignores Done until the gate "release" opens.
	reg("stubborn", func(ctx *actors.Context) error {
		<-e.gate("release")
		return actors.ErrStopped
	})
	// writer: bumps a counter in a group-key block and in an application
	// block, then waits.
	reg("writer", func(ctx *actors.Context) error {
		g, err := ctx.AllocateGroup("G-"+ctx.Name(), 8)
		if err != nil {
			return err
		}
		a, err := ctx.Allocate("A-"+ctx.Name(), 8, "appkey")
		if err != nil {
			return err
		}
		g[0]++
		a[0]++
		// the console's lock orders these writes before the test's reads
		ctx.Printf("%s wrote %d %d\n", ctx.Name(), g[0], a[0])
		<-ctx.Done()
		return actors.ErrStopped
	})
	// hb PERIOD: heartbeats whenever the test sends on e.beats.
	reg("hb", func(ctx *actors.Context) error {
		d, err := time.ParseDuration(ctx.Args()[0])
		if err != nil {
			return err
		}
		ctx.SetHeartbeat(d)
		for {
			select {
			case <-ctx.Done():
				return actors.ErrStopped
			case ack := <-e.beats:
				ctx.Beat()
				close(ack)
			}
		}
	})
	// sleeper D: sleeps D on the clock, then exits cleanly.
	reg("sleeper", func(ctx *actors.Context) error {
		d, _ := time.ParseDuration(ctx.Args()[0])
		if err := ctx.Sleep(d); err != nil {
			return err
		}
		return ctx.Exit()
	})
	reg("quit", func(ctx *actors.Context) error { return ctx.Exit() })
	reg("oops", func(ctx *actors.Context) error { return errInjected })
	reg("boom", func(ctx *actors.Context) error { panic("boom") })
	reg("idle", func(ctx *actors.Context) error { return nil })
}

// beat makes the "hb" actor beat once and waits until it has.
func (e *env) beat() {
	ack := make(chan struct{})
	e.beats <- ack
	<-ack
}

func (e *env) run(gid int, program string, args ...string) actors.AID {
	e.t.Helper()
	aid, err := e.ctl.Run(gid, program, args)
	require.NoError(e.t, err)
	require.NotZero(e.t, aid)
	return aid
}

func pause() {
	runtime.Gosched()
	time.Sleep(50 * time.Microsecond)
}

// waitFor polls cond until it holds.
func (e *env) waitFor(cond func() bool, format string, args ...any) {
	e.t.Helper()
	deadline := time.Now().Add(waitLimit)
	for !cond() {
		if time.Now().After(deadline) {
			e.t.Fatalf("timed out waiting for "+format+"\nactors: %+v\ngroups: %+v\nlog:\n%s",
				append(args, e.ctl.Actors(), e.ctl.Groups(), strings.Join(e.logs.all(), "\n"))...)
		}
		pause()
	}
}

// actor returns the ActorInfo of name (zero value if absent).
func (e *env) actor(name string) actors.ActorInfo {
	for _, a := range e.ctl.Actors() {
		if a.Name == name {
			return a
		}
	}
	return actors.ActorInfo{}
}

func (e *env) group(gid int) (actors.GroupInfo, bool) {
	for _, g := range e.ctl.Groups() {
		if g.GID == gid {
			return g, true
		}
	}
	return actors.GroupInfo{}, false
}

// waitRunning waits until name runs with generation gen and returns its aid.
func (e *env) waitRunning(name string, gen int) actors.AID {
	e.t.Helper()
	var a actors.ActorInfo
	e.waitFor(func() bool {
		a = e.actor(name)
		return a.State == actors.StateRunning && a.Gen == gen
	}, "%s running in generation %d", name, gen)
	return a.AID
}

func (e *env) waitGroupState(gid int, st actors.GroupState) {
	e.t.Helper()
	e.waitFor(func() bool { g, ok := e.group(gid); return ok && g.State == st }, "group %d %s", gid, st)
}

// waitWrote waits until the writer name has printed its counters.
func (e *env) waitWrote(name string, g, a int) {
	e.t.Helper()
	want := fmt.Sprintf("%s wrote %d %d\n", name, g, a)
	e.waitFor(func() bool { return strings.Contains(e.console.String(), want) }, "%q", want)
}

// waitEvent waits for an event of kind about group gid and returns the
// latest such.
func (e *env) waitEvent(kind actors.EventKind, gid int) actors.Event {
	e.t.Helper()
	var ev actors.Event
	e.waitFor(func() bool {
		found := false
		for _, x := range e.events.all() {
			if x.Kind == kind && x.GID == gid {
				ev, found = x, true
			}
		}
		return found
	}, "event %v of group %d", kind, gid)
	return ev
}

// waitExit waits for the event of actor aid's end.
func (e *env) waitExit(aid actors.AID) actors.Event {
	e.t.Helper()
	var ev actors.Event
	e.waitFor(func() bool {
		for _, x := range e.events.all() {
			if x.Kind == actors.EventActorExited && x.AID == aid {
				ev = x
				return true
			}
		}
		return false
	}, "the end of aid %d", aid)
	return ev
}

// uptime is the controller's uptime now: the At of what happens now.
func (e *env) uptime() time.Duration { return e.clk.Now().Sub(e.base) }

func (e *env) waitLog(sub string) {
	e.t.Helper()
	e.waitFor(func() bool { return e.logs.has(sub) }, "log line with %q", sub)
}

// blockNames lists the bank's blocks as "name key" strings.
func blockNames(b *pmm.Bank) []string {
	var out []string
	for _, bi := range b.Blocks() {
		out = append(out, bi.Name+" "+bi.Key)
	}
	return out
}

// recorder collects values from any goroutine.
type recorder[T any] struct {
	mu sync.Mutex
	v  []T
}

func (r *recorder[T]) add(v T) {
	r.mu.Lock()
	r.v = append(r.v, v)
	r.mu.Unlock()
}

func (r *recorder[T]) all() []T {
	r.mu.Lock()
	defer r.mu.Unlock()
	return append([]T(nil), r.v...)
}

func (r *recorder[T]) len() int {
	r.mu.Lock()
	defer r.mu.Unlock()
	return len(r.v)
}

// lines records log lines.
type lines struct{ recorder[string] }

func (l *lines) has(sub string) bool {
	for _, s := range l.all() {
		if strings.Contains(s, sub) {
			return true
		}
	}
	return false
}

type syncBuffer struct {
	mu sync.Mutex
	b  bytes.Buffer
}

func (s *syncBuffer) Write(p []byte) (int, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.Write(p)
}

func (s *syncBuffer) String() string {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.String()
}
