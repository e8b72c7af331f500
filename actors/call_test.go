package actors_test

import (
	"errors"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/hotrestart/tamago-hr/actors"
)

// registerServer adds "server NAME [GATE]": it serves NAME with string
// requests and int replies (the length); "crash" panics mid-call, "hold"
// holds the group, "wait" never replies. With GATE, a restarted server
// waits for that gate before it serves.
func (e *env) registerServer() {
	require.NoError(e.t, e.progs.Register("server", func(ctx *actors.Context) error {
		if a := ctx.Args(); len(a) > 1 && ctx.Generation() > 1 {
			select {
			case <-e.gate(a[1]):
			case <-ctx.Done():
				return actors.ErrStopped
			}
		}
		reqs, err := actors.Serve[string, int](ctx, ctx.Args()[0])
		if err != nil {
			ctx.Printf("serve: %v\n", err)
			return ctx.Exit()
		}
		for {
			select {
			case <-ctx.Done():
				return actors.ErrStopped
			case r := <-reqs:
				switch r.Arg {
				case "crash":
					panic("crash mid-call")
				case "hold":
					return ctx.Hold("asked to")
				case "wait":
				case "fail":
					r.Reply(0, errors.New("refused"))
				default:
					r.Reply(len(r.Arg), nil)
				}
			}
		}
	}, "serves its argument"))
}

func call(e *env, name, arg string, timeout time.Duration) (int, error) {
	return actors.Call[string, int](e.ctl, name, arg, timeout)
}

// A call is answered; the server's error comes back as it is; a name
// nobody serves and a call with the wrong types fail at once.
func TestCallAnswered(t *testing.T) {
	e := newEnv(t)
	e.registerServer()
	e.run(1, "server", "kv")
	e.waitFor(func() bool { return len(e.ctl.Services()) == 1 }, "kv served")
	n, err := call(e, "kv", "abcd", time.Second)
	require.NoError(t, err)
	assert.Equal(t, 4, n)
	_, err = call(e, "kv", "fail", time.Second)
	assert.EqualError(t, err, "refused")

	_, err = call(e, "kv", "x", 0)
	assert.EqualError(t, err, "actors: call timed out: kv: timeout 0s (want more than 0)")
	_, err = call(e, "nope", "x", time.Second)
	assert.ErrorIs(t, err, actors.ErrNoService)
	assert.EqualError(t, err, "actors: no such service: nobody serves nope")
	_, err = actors.Call[int, int](e.ctl, "kv", 1, time.Second)
	assert.ErrorIs(t, err, actors.ErrCallType)
	assert.EqualError(t, err, "actors: wrong types for the service: kv takes *actors.Request[string,int], not *actors.Request[int,int]")

	si := e.ctl.Services()
	assert.Equal(t, []actors.ServiceInfo{{Name: "kv", Group: 1, AID: e.actor("server.1.1").AID}}, si)

	// a second server of the name is refused while the first serves it
	e.run(2, "server", "kv")
	e.waitFor(func() bool { return strings.Contains(e.console.String(), "serve: ") }, "refusal")
	assert.Contains(t, e.console.String(), "serve: actors: name taken: kv is served by aid ")
}

// Another actor calls with its Context.
func TestCallFromAnActor(t *testing.T) {
	e := newEnv(t)
	e.registerServer()
	e.run(1, "server", "kv")
	e.run(2, "cmd")
	e.waitFor(func() bool { return len(e.ctl.Services()) == 1 }, "kv served")
	e.do("cmd.2.1", func(ctx *actors.Context) (bool, error) {
		n, err := actors.Call[string, int](ctx, "kv", "xyz", time.Second)
		assert.NoError(t, err)
		assert.Equal(t, 3, n)
		return false, nil
	})
}

// A server that crashes mid-call fails the call at once (no deadline
// passes: the fake clock never moves), and its group restarts.
func TestCallServerCrashes(t *testing.T) {
	e := newEnv(t)
	e.registerServer()
	aid := e.run(1, "server", "kv")
	e.waitFor(func() bool { return len(e.ctl.Services()) == 1 }, "kv served")
	_, err := call(e, "kv", "crash", time.Hour)
	assert.ErrorIs(t, err, actors.ErrCallFailed)
	assert.EqualError(t, err, "actors: server ended during the call: aid "+itoa(aid)+" server.1.1 ended before replying to kv")
	e.waitRunning("server.1.1", 2)
	n, err := call(e, "kv", "ab", time.Hour)
	require.NoError(t, err, "there again after the restart")
	assert.Equal(t, 2, n)
}

// A call to a server whose group is restarting (here in its backoff
// delay) waits and is answered once it serves again; with a shorter
// deadline it times out.
func TestCallWaitsForARestart(t *testing.T) {
	e := newEnv(t, withConfig(func(c *actors.Config) { c.MinRunTime = time.Second }))
	e.registerServer()
	aid := e.run(1, "server", "kv")
	e.waitFor(func() bool { return len(e.ctl.Services()) == 1 }, "kv served")
	require.NoError(t, e.ctl.Kill(aid))
	e.waitGroupState(1, actors.GroupBackoff)
	assert.Equal(t, []actors.ServiceInfo{{Name: "kv", Group: 1}}, e.ctl.Services(), "registered, not served")

	type res struct {
		n   int
		err error
	}
	short, long := make(chan res, 1), make(chan res, 1)
	go func() { n, err := call(e, "kv", "abc", 500*time.Millisecond); short <- res{n, err} }()
	go func() { n, err := call(e, "kv", "abc", 5*time.Second); long <- res{n, err} }()
	require.True(t, e.clk.WaitTimers(3, waitLimit), "the backoff and both calls wait") // backoff + 2 calls
	e.clk.Advance(600 * time.Millisecond)
	r := <-short
	assert.ErrorIs(t, r.err, actors.ErrCallTimeout)
	assert.EqualError(t, r.err, "actors: call timed out: kv did not come back within 500ms")
	e.clk.Advance(400 * time.Millisecond)
	r = <-long
	require.NoError(t, r.err)
	assert.Equal(t, 3, r.n)
}

// A server that does not reply times the call out at its deadline.
func TestCallTimesOut(t *testing.T) {
	e := newEnv(t)
	e.registerServer()
	e.run(1, "server", "kv")
	e.waitFor(func() bool { return len(e.ctl.Services()) == 1 }, "kv served")
	errc := make(chan error, 1)
	go func() { _, err := call(e, "kv", "wait", time.Second); errc <- err }()
	require.True(t, e.clk.WaitTimers(1, waitLimit))
	e.clk.Advance(time.Second)
	assert.EqualError(t, <-errc, "actors: call timed out: kv did not reply within 1s")
}

// A call to a held server fails at once with why and what to do; after
// `resume` it is served again; once its group is killed, nobody serves it.
func TestCallHeldServer(t *testing.T) {
	e := newEnv(t)
	e.registerServer()
	e.run(1, "server", "kv")
	e.waitFor(func() bool { return len(e.ctl.Services()) == 1 }, "kv served")
	_, err := call(e, "kv", "hold", time.Second)
	assert.ErrorIs(t, err, actors.ErrCallFailed, "the server held its group instead of replying")
	e.waitGroupState(1, actors.GroupHeldService)
	_, err = call(e, "kv", "x", time.Hour)
	assert.ErrorIs(t, err, actors.ErrHeld)
	assert.EqualError(t, err, "kv is held (asked to): resume 1")
	assert.Equal(t, []actors.ServiceInfo{{Name: "kv", Group: 1, Held: true}}, e.ctl.Services())

	require.NoError(t, e.ctl.ResumeGroup(1))
	n, err := call(e, "kv", "x", time.Hour)
	require.NoError(t, err)
	assert.Equal(t, 1, n)

	require.NoError(t, e.ctl.KillGroup(1))
	_, err = call(e, "kv", "x", time.Hour)
	assert.EqualError(t, err, "actors: no such service: nobody serves kv")
	assert.Empty(t, e.ctl.Services())
}

// A group held by the policy: the call says so.
func TestCallHeldByPolicy(t *testing.T) {
	e := newEnv(t)
	e.registerServer()
	aid := e.run(0, "server", "kv")
	e.waitFor(func() bool { return len(e.ctl.Services()) == 1 }, "kv served")
	for gen := 2; gen <= 4; gen++ {
		require.NoError(t, e.ctl.Kill(aid))
		aid = e.waitRunning("server.0.1", gen)
	}
	require.NoError(t, e.ctl.Kill(aid))
	e.waitFor(func() bool { return e.sites.len() == 1 }, "escalation")
	e.reboot()
	_, err := e.ctl.Resume()
	require.NoError(t, err)
	aid = e.waitRunning("server.0.1", 5)
	require.NoError(t, e.ctl.Kill(aid))
	aid = e.waitRunning("server.0.1", 6)
	require.NoError(t, e.ctl.Kill(aid))
	e.waitGroupState(0, actors.GroupHeldPolicy)
	_, err = call(e, "kv", "x", time.Hour)
	assert.EqualError(t, err, "kv is held (policy): resume 0")
}

// The names a group serves are kept in its group record: after a site
// restart a call to a held group fails at once saying why, and a call made
// before a resumed group serves again waits for it.
func TestCallKnownAcrossASiteRestart(t *testing.T) {
	e := newEnv(t)
	e.registerServer()
	e.run(1, "server", "kv")
	e.run(2, "server", "db", "db-up")
	e.waitFor(func() bool { return len(e.ctl.Services()) == 2 }, "served")
	_, _ = call(e, "kv", "hold", time.Second)
	e.waitGroupState(1, actors.GroupHeldService)

	e.reboot()
	assert.Equal(t, []actors.ServiceInfo{{Name: "db", Group: 2}, {Name: "kv", Group: 1, Held: true}}, e.ctl.Services())
	_, err := call(e, "kv", "x", time.Hour)
	assert.EqualError(t, err, "kv is held (asked to): resume 1")
	type res struct {
		n   int
		err error
	}
	_, err = call(e, "db", "x", time.Hour)
	assert.EqualError(t, err, "db is stopped (safe mode): resume", "not resumed yet")
	_, err = e.ctl.Resume()
	require.NoError(t, err)
	e.waitRunning("server.2.1", 2)
	got := make(chan res, 1)
	go func() { n, err := call(e, "db", "abc", time.Hour); got <- res{n, err} }()
	require.True(t, e.clk.WaitTimers(1, waitLimit), "the call waits")
	e.release("db-up")
	r := <-got
	require.NoError(t, r.err)
	assert.Equal(t, 3, r.n)
}
