package actors

import (
	"fmt"
	"slices"
	"strings"
	"sync"
	"sync/atomic"
	"time"

	"github.com/hotrestart/tamago-hr/pmm"
)

// Context is one incarnation of an actor: what its goroutine is given, the
// ChorusOS actor's handle on the hot restart calls. It is not a
// context.Context (the name is the controller's, older than this note);
// Context() gives one, cancelled when the actor must stop, for the
// libraries a service calls. Its identity fields never change; the
// run-state fields are guarded by the controller's lock; the rest are
// channels and atomics the actor touches without any lock.
type Context struct {
	c       *Controller
	aid     AID
	name    string
	program string
	args    []string
	gen     int
	m       *member // nil for an ordinary actor
	prog    Program
	started time.Duration // controller uptime at start

	stop     chan struct{}          // closed when the actor must stop (Done)
	finished chan struct{}          // guarded by c.mu: made by the first wait for its end (finishedLocked), closed once that end has been handled
	faults   chan string            // injected fault kinds, capacity 1; made by faultsOnce
	clean    atomic.Bool            // Exit was called
	hold     atomic.Pointer[string] // Hold was called: its reason
	mapped   map[string]struct{}    // guarded by c.mu: blocks allocated or retrieved by this incarnation; nil until the first
	hb       heartbeat

	stopping bool // guarded by c.mu: stop is closed
	ended    bool // guarded by c.mu: the goroutine has returned
	reuse    bool // set under c.mu before it starts: it runs on its member's parked goroutine

	// faults is made on first use (Faults, Inject): most incarnations
	// never see one, and a group restart makes a Context per member.
	faultsOnce sync.Once
}

// newContext makes an incarnation that starts at started (controller uptime).
func (c *Controller) newContext(aid AID, prog Program, name, program string, args []string, m *member, started time.Duration) *Context {
	x := &Context{c: c, aid: aid, name: name, program: program, args: slices.Clone(args), gen: 1, m: m,
		prog: prog, started: started, stop: make(chan struct{})}
	if m != nil {
		x.gen = m.gen
	}
	return x
}

// AID is this incarnation's actor id.
func (x *Context) AID() AID { return x.aid }

// Name is the actor's registered name (restartable) or its program's name.
func (x *Context) Name() string { return x.name }

// Group is the actor's restart group, -1 when it is not restartable.
func (x *Context) Group() int {
	if x.m == nil {
		return -1
	}
	return x.m.g.gid
}

// Generation is 1 on the first start and grows by one at every restart,
// group or site: the persistent "have I been restarted?" that ChorusOS
// leaves to the application.
func (x *Context) Generation() int { return x.gen }

// Args are the arguments it was started with (the same on every restart).
func (x *Context) Args() []string { return slices.Clone(x.args) }

// Restartable reports whether the actor is a member of a restart group.
func (x *Context) Restartable() bool { return x.m != nil }

// Done is closed when the actor must stop: its group restarts or is
// killed, it is killed, or the system shuts down; and once it has ended. A
// program returns soon after; whatever it returns then counts as stopped,
// not as a failure.
func (x *Context) Done() <-chan struct{} { return x.stop }

// Sleep waits d on the controller's clock; ErrStopped when told to stop.
func (x *Context) Sleep(d time.Duration) error {
	select {
	case <-x.stop:
		return ErrStopped
	default:
	}
	if d <= 0 {
		return nil
	}
	t := x.c.clock.NewTimer(d)
	select {
	case <-t.C():
		return nil
	case <-x.stop:
		t.Stop()
		return ErrStopped
	}
}

// Printf writes to the console.
func (x *Context) Printf(format string, a ...any) {
	fmt.Fprintf(x.c.console, format, a...)
}

// Allocate allocates or retrieves a persistent block (pmmAllocate). Its
// name is site-wide: every actor that allocates it gets the same block,
// which is how actors share state on purpose; a block another group
// allocated with its group key is refused (ErrBlockInUse). While this
// incarnation runs, nobody outside its group may free the block.
func (x *Context) Allocate(name string, size int, key string) ([]byte, error) {
	return x.c.allocate(x, name, size, key, false)
}

// Free frees a persistent block by name (pmmFree), group-key blocks
// included; a block another group's key tags or a running actor of another
// group has mapped is refused (ErrBlockInUse).
func (x *Context) Free(name string) error { return x.c.freeName(name, x) }

// FreeAll frees every block with key (pmmFreeAll); the group key is
// refused, as in ChorusOS, and so is a key one of whose blocks is in use by
// another group (nothing is freed then).
func (x *Context) FreeAll(key string) (int, error) { return x.c.freeKey(key, x) }

// GroupKey is the deletion key tied to the actor's group (HR_GROUP_KEY):
// blocks with it are freed when the group terminates or is killed. "" for
// an ordinary actor.
func (x *Context) GroupKey() string {
	if x.m == nil {
		return ""
	}
	return x.m.g.key
}

// AllocateGroup allocates or retrieves the group's own block name with the
// group key. Names are per group: the bank holds it as "<name>@<gid>"
// (GroupBlockName), so the same program in two groups has two blocks, and
// it is freed with the group. name may be at most pmm.MaxNameLen minus the
// suffix. The block is a User block: FreeGroup (or Free of the full name)
// works, FreeAll(GroupKey()) does not.
func (x *Context) AllocateGroup(name string, size int) ([]byte, error) {
	full, err := x.groupBlock(name)
	if err != nil {
		return nil, err
	}
	return x.c.allocate(x, full, size, x.m.g.key, true)
}

// FreeGroup frees the group's block name (see AllocateGroup).
func (x *Context) FreeGroup(name string) error {
	full, err := x.groupBlock(name)
	if err != nil {
		return err
	}
	return x.Free(full)
}

func (x *Context) groupBlock(name string) (string, error) {
	if x.m == nil {
		return "", fmt.Errorf("%w: %s has no group key", ErrNotRestartable, x.name)
	}
	if strings.HasPrefix(name, pmm.ReservedPrefix) {
		return "", fmt.Errorf("%w: name %q has the reserved prefix %s", pmm.ErrPrivileged, name, pmm.ReservedPrefix)
	}
	full := GroupBlockName(name, x.m.g.gid)
	if len(full) > pmm.MaxNameLen {
		return "", fmt.Errorf("%w: group block %q is %d bytes, at most %d", pmm.ErrBadName, full, len(full), pmm.MaxNameLen)
	}
	return full, nil
}

// Spawn starts an indirect restartable actor in the caller's group (the
// hrfexec analog; only restartable actors may call it). A new name is
// registered with program and args; a name already registered in this
// group is started again from its record, whose program and arguments win.
func (x *Context) Spawn(name, program string, args ...string) (AID, error) {
	return x.c.spawn(x, name, program, args)
}

// Exit marks the termination as clean (HR_EXIT_HDL) and returns nil, for
// `return ctx.Exit()`. Returning nil without it is a premature exit, an
// abnormal termination; after it, even an error or a panic counts as clean
// (as in ChorusOS, where an early HR_EXIT_HDL hides later failures).
func (x *Context) Exit() error {
	x.clean.Store(true)
	return nil
}

// Faults delivers the kinds requested with Controller.Inject; test and
// example programs select on it and misbehave on purpose.
func (x *Context) Faults() <-chan string { return x.faultCh() }

// faultCh is the faults channel, made on first use.
func (x *Context) faultCh() chan string {
	x.faultsOnce.Do(func() { x.faults = make(chan string, 1) })
	return x.faults
}
