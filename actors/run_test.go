package actors_test

import (
	"bytes"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/hotrestart/tamago-hr/actors"
	"github.com/hotrestart/tamago-hr/pmm"
)

func TestRunDirectActorIsRegisteredAndRecorded(t *testing.T) {
	e := newEnv(t)
	aid := e.run(0, "wait", "a", "b")
	assert.Equal(t, actors.AID(1), aid, "aids start at 1")
	a := e.actor("wait.0.1")
	assert.Equal(t, aid, a.AID)
	assert.Equal(t, 1, a.Gen)
	assert.Equal(t, actors.Direct, a.Kind)
	assert.Equal(t, actors.StateRunning, a.State)
	assert.Equal(t, []string{"a", "b"}, a.Args)
	assert.Equal(t, 0, a.Group)

	// a second one in the same group gets the next name
	e.run(0, "wait")
	assert.Equal(t, actors.StateRunning, e.actor("wait.0.2").State)

	// records: controller, group, two actors — all System blocks
	names := blockNames(e.bank)
	assert.ElementsMatch(t, []string{
		"__SYS.hr.ctl __SYS.hr.ctl", "__SYS.hr.g0 __SYS.hr.g0",
		"__SYS.hr.a1 __SYS.hr.g0", "__SYS.hr.a2 __SYS.hr.g0"}, names)
	for _, b := range e.bank.Blocks() {
		assert.Equal(t, pmm.System, b.Owner)
		assert.Equal(t, 1, b.Pages)
	}
	g, ok := e.group(0)
	require.True(t, ok)
	assert.Equal(t, actors.GroupRunning, g.State)
	assert.Equal(t, 2, g.Members)
	assert.Equal(t, 2, g.Direct)
}

func TestRunErrors(t *testing.T) {
	e := newEnv(t)
	_, err := e.ctl.Run(0, "nosuch", nil)
	assert.ErrorIs(t, err, actors.ErrNoProgram)
	_, err = e.ctl.Run(e.cfg.MaxGroups, "wait", nil)
	assert.ErrorIs(t, err, actors.ErrTooManyGroups)
	_, err = e.ctl.Run(-2, "wait", nil)
	assert.ErrorIs(t, err, actors.ErrBadGroup)
	_, err = e.ctl.Run(0, "wait", []string{strings.Repeat("x", 3000)})
	assert.ErrorIs(t, err, actors.ErrTooLong)
	assert.Equal(t, []string{"__SYS.hr.ctl __SYS.hr.ctl"}, blockNames(e.bank), "nothing half-made")
	assert.Empty(t, e.ctl.Groups())
}

func TestOrdinaryActors(t *testing.T) {
	e := newEnv(t)
	quit := e.run(-1, "quit")
	assert.Equal(t, actors.Event{Kind: actors.EventActorExited, At: e.uptime(), GID: -1, AID: quit, Actor: "quit"}, e.waitExit(quit))
	oops := e.run(-1, "oops")
	ev := e.waitExit(oops)
	assert.Equal(t, "oops", ev.Actor)
	assert.Equal(t, -1, ev.GID)
	assert.False(t, ev.Panicked)
	assert.EqualError(t, ev.Err, "injected error")
	boom := e.run(-1, "boom")
	ev = e.waitExit(boom)
	assert.True(t, ev.Panicked)
	assert.Equal(t, "boom", ev.Panic)
	assert.NotEmpty(t, ev.Stack)
	assert.Equal(t, -1, ev.GID)
	idle := e.run(-1, "idle")
	assert.Equal(t, actors.Event{Kind: actors.EventActorExited, At: e.uptime(), GID: -1, AID: idle, Actor: "idle"}, e.waitExit(idle))

	w := e.run(-1, "wait")
	a := e.actor("wait")
	assert.Equal(t, w, a.AID)
	assert.Equal(t, -1, a.Group)
	assert.Equal(t, actors.Ordinary, a.Kind)
	require.NoError(t, e.ctl.Kill(w))
	e.waitFor(func() bool { return e.actor("wait").AID == 0 }, "ordinary actor gone")
	assert.ErrorIs(t, e.ctl.Kill(w), actors.ErrStaleAID)
	assert.ErrorIs(t, e.ctl.Kill(quit), actors.ErrStaleAID)

	assert.Empty(t, e.ctl.Groups(), "ordinary actors never make groups")
	assert.Equal(t, []string{"__SYS.hr.ctl __SYS.hr.ctl"}, blockNames(e.bank), "nor records")
	assert.Empty(t, e.sites.all())
	assert.False(t, e.logs.has("hr: group"), "never restarted: %q", e.logs.all())

	// an ordinary actor cannot use the restartable API
	c := e.run(-1, "cmd")
	e.do("cmd", func(ctx *actors.Context) (bool, error) {
		assert.False(t, ctx.Restartable())
		assert.Equal(t, -1, ctx.Group())
		assert.Equal(t, c, ctx.AID())
		assert.Equal(t, "", ctx.GroupKey())
		_, err := ctx.Spawn("kid", "wait")
		assert.ErrorIs(t, err, actors.ErrNotRestartable)
		_, err = ctx.AllocateGroup("x", 1)
		assert.ErrorIs(t, err, actors.ErrNotRestartable)
		b, err := ctx.Allocate("ordblock", 10, "ordkey")
		assert.NoError(t, err)
		assert.Len(t, b, pmm.PageSize)
		n, err := ctx.FreeAll("ordkey")
		assert.NoError(t, err)
		assert.Equal(t, 1, n)
		return false, nil
	})
}

func TestContextBasics(t *testing.T) {
	e := newEnv(t)
	aid := e.run(3, "cmd", "x", "y")
	e.do("cmd.3.1", func(ctx *actors.Context) (bool, error) {
		assert.Equal(t, aid, ctx.AID())
		assert.Equal(t, "cmd.3.1", ctx.Name())
		assert.Equal(t, 3, ctx.Group())
		assert.Equal(t, 1, ctx.Generation())
		assert.Equal(t, []string{"x", "y"}, ctx.Args())
		assert.True(t, ctx.Restartable())
		assert.Equal(t, "__SYS.hr.g3", ctx.GroupKey())
		ctx.Printf("hello %d\n", 42)

		b, err := ctx.AllocateGroup("GB", 5000)
		require.NoError(t, err)
		assert.Len(t, b, 2*pmm.PageSize)
		_, info, err := e.bank.Lookup("GB@3")
		require.NoError(t, err)
		assert.Equal(t, pmm.User, info.Owner)
		assert.Equal(t, ctx.GroupKey(), info.Key)
		_, err = ctx.FreeAll(ctx.GroupKey())
		assert.ErrorIs(t, err, pmm.ErrPrivileged, "the group key cannot be freed by users")
		_, err = ctx.AllocateGroup("__SYS.x", 1)
		assert.ErrorIs(t, err, pmm.ErrPrivileged)
		_, err = ctx.Allocate("y", 1, ctx.GroupKey())
		assert.ErrorIs(t, err, pmm.ErrPrivileged)
		assert.ErrorIs(t, ctx.Free("__SYS.hr.g3"), pmm.ErrPrivileged, "records are System blocks")
		assert.NoError(t, ctx.FreeGroup("GB"), "group-key blocks may be freed by name")
		assert.NoError(t, ctx.Sleep(0))
		return false, nil
	})
	assert.Equal(t, "hello 42\n", e.console.String())
}

func TestSleepUsesTheClockAndStops(t *testing.T) {
	e := newEnv(t)
	e.run(0, "sleeper", "5s")
	require.True(t, e.clk.WaitTimers(1, waitLimit))
	e.clk.Advance(5*time.Second - time.Nanosecond)
	assert.Equal(t, actors.StateRunning, e.actor("sleeper.0.1").State)
	e.clk.Advance(time.Nanosecond)
	e.waitEvent(actors.EventGroupTerminated, 0)

	e.run(1, "sleeper", "1h")
	require.True(t, e.clk.WaitTimers(1, waitLimit))
	require.NoError(t, e.ctl.KillGroup(1), "Sleep returns ErrStopped")
	assert.Zero(t, e.clk.Pending(), "its timer was stopped")
}

func TestProgramsRegistry(t *testing.T) {
	var p actors.Programs
	assert.Empty(t, p.Names())
	run := func(*actors.Context) error { return nil }
	require.NoError(t, p.Register("b", run, "bee"))
	require.NoError(t, p.Register("a", run, "ay"))
	assert.ErrorIs(t, p.Register("a", run, ""), actors.ErrNameTaken)
	assert.ErrorIs(t, p.Register("has space", run, ""), actors.ErrBadName)
	assert.ErrorIs(t, p.Register("", run, ""), actors.ErrBadName)
	assert.ErrorIs(t, p.Register(strings.Repeat("x", actors.MaxProgramName+1), run, ""), actors.ErrBadName)
	assert.ErrorIs(t, p.Register("__SYS", run, ""), actors.ErrBadName)
	assert.ErrorIs(t, p.Register("nil", nil, ""), actors.ErrNoProgram)
	assert.Equal(t, []string{"a", "b"}, p.Names())
	assert.Equal(t, "bee", p.Help("b"))
	assert.Equal(t, "", p.Help("zzz"))
}

func TestConfigValidate(t *testing.T) {
	require.NoError(t, actors.DefaultConfig().Validate())
	d := actors.DefaultConfig()
	assert.Equal(t, 3, d.MaxBadness)
	assert.Equal(t, 10*time.Second, d.Interval)
	for name, f := range map[string]func(*actors.Config){
		"actors":   func(c *actors.Config) { c.MaxActors = 0 },
		"groups":   func(c *actors.Config) { c.MaxGroups = 0 },
		"groups+":  func(c *actors.Config) { c.MaxGroups = actors.MaxMaxGroups + 1 },
		"badness":  func(c *actors.Config) { c.MaxBadness = -1 },
		"interval": func(c *actors.Config) { c.Interval = 0 },
		"stop":     func(c *actors.Config) { c.StopTimeout = 0 },
		"minrun":   func(c *actors.Config) { c.MinRunTime = -1 },
		"backoff":  func(c *actors.Config) { c.MaxBackoff = -1 },
	} {
		c := actors.DefaultConfig()
		f(&c)
		assert.ErrorIs(t, c.Validate(), actors.ErrBadConfig, name)
	}
	c := actors.DefaultConfig()
	c.MaxBadness, c.MinRunTime, c.MaxBackoff = 0, 0, 0
	assert.NoError(t, c.Validate(), "zero badness and no backoff are allowed")

	bank, _, err := pmm.Open(make([]byte, 64<<10), pmm.Geometry{Size: 64 << 10, MaxBlocks: 4})
	require.NoError(t, err)
	bad := actors.DefaultConfig()
	bad.Interval = 0
	_, err = actors.New(bank, bad, nil, actors.Deps{})
	assert.ErrorIs(t, err, actors.ErrBadConfig)
	_, err = actors.New(nil, actors.DefaultConfig(), nil, actors.Deps{})
	assert.ErrorIs(t, err, actors.ErrBadConfig)
	ctl, err := actors.New(bank, actors.DefaultConfig(), nil, actors.Deps{})
	require.NoError(t, err, "nil programs, clock, log and console have defaults")
	require.NoError(t, ctl.Shutdown(time.Second))
}

func TestWriteAPS(t *testing.T) {
	e := newEnv(t)
	p := e.run(1, "parent", "once", "kid", "wait")
	k := e.waitRunning("kid", 1)
	o := e.run(-1, "wait", "arg1", "arg2")
	e.clk.Advance(12 * time.Second)
	var buf bytes.Buffer
	actors.WriteAPS(&buf, e.ctl.Actors(), e.ctl.Groups())
	out := buf.String()
	t.Log("\n" + out)
	assert.Regexp(t, `^AID\s+GEN\s+NAME\s+PROGRAM\s+GROUP\s+KIND\s+STATE\s+RESTARTS\s+UPTIME\s+ARGS\n`, out)
	assert.Regexp(t, itoa(p)+`\s+1\s+parent\.1\.1\s+parent\s+1\s+direct\s+running\s+0\s+12s\s+once kid wait\n`, out)
	assert.Regexp(t, itoa(k)+`\s+1\s+kid\s+wait\s+1\s+indirect\s+running\s+0\s+12s\s+\n`, out)
	assert.Regexp(t, itoa(o)+`\s+1\s+wait\s+wait\s+ordinary\s+running\s+0\s+12s\s+arg1 arg2\n`, out)
	assert.Regexp(t, `GROUP\s+STATE\s+RUNNING\s+RESTARTS\s+BADNESS\s+BLOCKED\s+POLICY\s+LAST FAILURE\n1\s+running\s+2/2\s+0\s+0/3\s+0\s+3/10s no backoff\s+-\n`, out)
	// as the QEMU tests read it: rows whose AID and GROUP are numbers
	assert.Equal(t, []int{int(p), int(k)}, actors.APSGroupAIDs(out, 1))

	// after a restart in "once" mode the kid is blocked, without an aid
	require.NoError(t, e.ctl.Kill(p))
	e.waitRunning("parent.1.1", 2)
	buf.Reset()
	actors.WriteAPS(&buf, e.ctl.Actors(), e.ctl.Groups())
	out = buf.String()
	assert.Regexp(t, `-\s+1\s+kid\s+wait\s+1\s+indirect\s+blocked\s+0\s+-`, out)
	assert.Len(t, actors.APSGroupAIDs(out, 1), 1)
	assert.Regexp(t, `1\s+running\s+1/2\s+1\s+1/3\s+1\s+3/10s no backoff\s+aid \d+ parent.1.1: killed by akill`, out)
}

func itoa(a actors.AID) string { return strconv.FormatUint(uint64(a), 10) }
