package actors_test

import (
	"bytes"
	"fmt"
	"runtime"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/hotrestart/tamago-hr/actors"
	"github.com/hotrestart/tamago-hr/actors/fakeclock"
	"github.com/hotrestart/tamago-hr/pmm"
)

// goid is the calling goroutine's id, from the first line of its stack
// ("goroutine N [running]:"): the test's only way to tell goroutines apart.
func goid() int {
	b := make([]byte, 64)
	b = b[:runtime.Stack(b, false)]
	f := bytes.Fields(b)
	n, _ := strconv.Atoi(string(f[1]))
	return n
}

// alive reports whether goroutine id still exists.
func alive(id int) bool {
	b := make([]byte, 1<<20)
	b = b[:runtime.Stack(b, true)]
	return bytes.Contains(b, []byte("goroutine "+strconv.Itoa(id)+" ["))
}

// registerGoid registers "goid": it reports its name, generation and
// goroutine to seen, then waits to be stopped; with the argument "goexit"
// it ends by runtime.Goexit instead of returning.
func (e *env) registerGoid(seen chan<- [3]int) {
	require.NoError(e.t, e.progs.Register("goid", func(ctx *actors.Context) error {
		n, _ := strconv.Atoi(ctx.Name()[len("goid.0."):])
		seen <- [3]int{n, ctx.Generation(), goid()}
		<-ctx.Done()
		if len(ctx.Args()) > 0 && ctx.Args()[0] == "goexit" {
			runtime.Goexit()
		}
		return actors.ErrStopped
	}, "goid (test)"))
}

// collect reads n reports from seen: the goroutine of each member (by the
// n of its name goid.0.N), all of generation gen.
func collect(t *testing.T, seen <-chan [3]int, n, gen int) map[int]int {
	t.Helper()
	got := map[int]int{}
	for range n {
		select {
		case s := <-seen:
			require.Equal(t, gen, s[1], "member %d", s[0])
			got[s[0]] = s[2]
		case <-time.After(waitLimit):
			t.Fatalf("%d of %d members of generation %d started", len(got), n, gen)
		}
	}
	return got
}

// A group restart starts each direct member's next incarnation on the
// goroutine its stopped incarnation ran on (a goroutine's creation and end
// cost a restart more than its records): same goroutines, next generation,
// new aids, the hook told of every start and end.
func TestGroupRestartReusesTheStoppedGoroutines(t *testing.T) {
	e := newEnv(t)
	seen := make(chan [3]int, 8)
	e.registerGoid(seen)
	var aids []actors.AID
	for range 3 {
		aids = append(aids, e.run(0, "goid"))
	}
	first := collect(t, seen, 3, 1)
	require.NoError(t, e.ctl.Kill(aids[1]))
	assert.Equal(t, first, collect(t, seen, 3, 2))
	for i, name := range []string{"goid.0.1", "goid.0.2", "goid.0.3"} {
		assert.NotEqual(t, aids[i], e.waitRunning(name, 2))
	}
	e.mu.Lock()
	assert.Equal(t, 6, e.hooks.starts)
	assert.Equal(t, 3, e.hooks.ends)
	e.mu.Unlock()
}

// A member that ends by runtime.Goexit when stopped takes its goroutine
// with it: its next incarnation gets a new one, and the group runs whole.
func TestGoexitWhileStoppingStartsTheNextIncarnationAnew(t *testing.T) {
	e := newEnv(t)
	seen := make(chan [3]int, 8)
	e.registerGoid(seen)
	aid := e.run(0, "goid", "goexit")
	e.run(0, "goid")
	first := collect(t, seen, 2, 1)
	require.NoError(t, e.ctl.Kill(aid))
	second := collect(t, seen, 2, 2)
	assert.NotEqual(t, first[1], second[1], "the goroutine that called Goexit is gone")
	assert.Equal(t, first[2], second[2])
	e.waitFor(func() bool { return !alive(first[1]) }, "goroutine %d ended", first[1])
}

// A restart that waits for its backoff delay lets the stopped goroutines
// end instead of parking them for its whole delay; the members start on
// new goroutines when it is over.
func TestBackoffEndsTheStoppedGoroutines(t *testing.T) {
	e := newEnv(t, withConfig(func(c *actors.Config) { c.MinRunTime = time.Second }))
	seen := make(chan [3]int, 8)
	e.registerGoid(seen)
	aid := e.run(0, "goid")
	e.run(0, "goid")
	first := collect(t, seen, 2, 1)
	require.NoError(t, e.ctl.Kill(aid))
	e.waitGroupState(0, actors.GroupBackoff)
	for n, id := range first {
		e.waitFor(func() bool { return !alive(id) }, "goroutine %d of member %d ended", id, n)
	}
	require.True(t, e.clk.WaitTimers(1, waitLimit))
	e.clk.Advance(time.Second)
	second := collect(t, seen, 2, 2)
	for n, id := range second {
		assert.NotEqual(t, first[n], id, "member %d", n)
	}
}

// A group killed while it is stopping for a restart lets the stopped
// goroutines end.
func TestKillWhileStoppingEndsTheStoppedGoroutines(t *testing.T) {
	e := newEnv(t)
	seen := make(chan [3]int, 8)
	e.registerGoid(seen)
	require.NoError(t, e.progs.Register("late", func(ctx *actors.Context) error {
		<-ctx.Done()
		<-e.gate("late")
		return actors.ErrStopped
	}, "late (test)"))
	aid := e.run(0, "goid")
	e.run(0, "late")
	first := collect(t, seen, 1, 1)
	require.NoError(t, e.ctl.Kill(aid))
	e.waitGroupState(0, actors.GroupStopping)
	e.waitFor(func() bool { return e.actor("goid.0.1").AID == 0 }, "goid.0.1 ended") // parked
	errc := make(chan error, 1)
	go func() { errc <- e.ctl.KillGroup(0) }()
	e.waitGroupState(0, actors.GroupKilling)
	e.release("late")
	require.NoError(t, <-errc)
	e.waitFor(func() bool { return !alive(first[1]) }, "goroutine %d ended", first[1])
}

// The last member of a restart to end starts the group: no timer stays
// armed once it has; the next restart's StopTimeout counts from its own
// failure.
func TestEachRestartWaitsStopTimeoutFromItsFailure(t *testing.T) {
	e := newEnv(t)
	w := e.run(0, "wait")
	e.run(0, "wait")
	require.NoError(t, e.ctl.Kill(w))
	w = e.waitRunning("wait.0.1", 2)
	e.waitRunning("wait.0.2", 2)
	assert.Zero(t, e.clk.Pending(), "no stop timer left armed")
	e.clk.Advance(3 * e.cfg.StopTimeout)
	s := e.run(0, "stubborn")
	require.NoError(t, e.ctl.Kill(w))
	require.True(t, e.clk.WaitTimers(1, waitLimit))
	e.waitFor(func() bool {
		return e.actor("wait.0.1").State == actors.StateStopped && e.actor("wait.0.2").State == actors.StateStopped
	}, "both waits stopped")
	e.clk.Advance(e.cfg.StopTimeout - time.Nanosecond)
	assert.Empty(t, e.sites.all())
	e.clk.Advance(time.Nanosecond)
	e.waitFor(func() bool { return e.sites.len() == 1 }, "site restart request")
	assert.Equal(t, "member stubborn.0.1 (aid "+itoa(s)+") did not stop within 2s", e.sites.all()[0].Reason)
}

// A group runs again only once its restart's log line is out: the last
// member to end does not start it while the failure is still being logged.
func TestGroupRunsAgainOnlyAfterItsRestartLine(t *testing.T) {
	mem := make([]byte, 256<<10)
	bank, _, err := pmm.Open(mem, pmm.Geometry{Size: len(mem), MaxBlocks: 32})
	require.NoError(t, err)
	progs := &actors.Programs{}
	require.NoError(t, progs.Register("wait", func(ctx *actors.Context) error {
		<-ctx.Done()
		return actors.ErrStopped
	}, "wait (test)"))
	logging, gate := make(chan struct{}), make(chan struct{})
	cfg := actors.DefaultConfig()
	cfg.MinRunTime = 0
	ctl, err := actors.New(bank, cfg, progs, actors.Deps{Clock: fakeclock.New(), Log: func(f string, a ...any) {
		if strings.Contains(fmt.Sprintf(f, a...), "restart 1 (") {
			close(logging)
			<-gate
		}
	}})
	require.NoError(t, err)
	t.Cleanup(func() { _ = ctl.Shutdown(time.Second) })
	a, err := ctl.Run(0, "wait", nil)
	require.NoError(t, err)
	_, err = ctl.Run(0, "wait", nil)
	require.NoError(t, err)
	killed := make(chan error, 1)
	go func() { killed <- ctl.Kill(a) }()
	<-logging
	ended := func() bool {
		for _, ai := range ctl.Actors() {
			if ai.AID != 0 {
				return false
			}
		}
		return true
	}
	deadline := time.Now().Add(waitLimit)
	for !ended() {
		require.True(t, time.Now().Before(deadline), "members never ended")
		pause()
	}
	g := ctl.Groups()
	require.Len(t, g, 1)
	assert.Equal(t, actors.GroupStopping, g[0].State, "every member has ended, the restart line is not out")
	close(gate)
	require.NoError(t, <-killed)
	for ctl.Groups()[0].Running != 2 {
		require.True(t, time.Now().Before(deadline), "not running again")
		pause()
	}
	for _, ai := range ctl.Actors() {
		assert.Equal(t, 2, ai.Gen, ai.Name)
	}
}
