package actors_test

import (
	"bytes"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/hotrestart/tamago-hr/actors"
)

// A group created with its own policy (arun flags: RunPolicy) escalates by
// it, while a group on the tunables beside it does not; the policy is kept
// in the group record across the site restart, and aps shows it.
func TestGroupPolicyFromRun(t *testing.T) {
	e := newEnv(t)
	strict := func(p *actors.Policy) { p.MaxBadness, p.Interval = 1, time.Minute }
	aid, err := e.ctl.Run(0, "wait", nil, actors.RunPolicy(strict))
	require.NoError(t, err)
	lax := e.run(1, "wait")

	for gen := 2; gen <= 3; gen++ { // two failures: within the tunables' 3
		require.NoError(t, e.ctl.Kill(lax))
		lax = e.waitRunning("wait.1.1", gen)
	}
	aid = e.fail(aid, 2)
	e.escalatedBecause(aid, "policy: group 0 badness 2 > maxBadness 1 within 1m0s")

	e.reboot()
	g, _ := e.group(0)
	assert.Equal(t, actors.Policy{MaxBadness: 1, Interval: time.Minute, MaxBackoff: 5 * time.Second}, g.Policy)
	assert.True(t, g.OwnPolicy)
	assert.Equal(t, 0, g.MaxBadness-1, "BADNESS shows the group's limit")
	g1, _ := e.group(1)
	assert.False(t, g1.OwnPolicy)
	assert.Equal(t, 3, g1.MaxBadness)
	var buf bytes.Buffer
	actors.WriteAPS(&buf, e.ctl.Actors(), e.ctl.Groups())
	assert.Regexp(t, `(?m)^0\s+held\s+0/1\s+1\s+0/1\s+0\s+1/1m0s no backoff \(own\)\s+aid `, buf.String())
	assert.Regexp(t, `(?m)^1\s+held\s+0/1\s+2\s+2/3\s+0\s+3/10s no backoff\s+aid `, buf.String())

	// a policy is given when a group is created
	_, err = e.ctl.Run(1, "wait", nil, actors.RunPolicy(strict))
	assert.ErrorIs(t, err, actors.ErrGroupBusy)
	_, err = e.ctl.Run(-1, "wait", nil, actors.RunPolicy(strict))
	assert.ErrorIs(t, err, actors.ErrBadGroup)
	_, err = e.ctl.Run(5, "wait", nil, actors.RunPolicy(func(p *actors.Policy) { p.Interval = 0 }))
	assert.EqualError(t, err, "policy: actors: bad config: Interval 0s (want 100ms..1h0m0s)")
	_, ok := e.group(5)
	assert.False(t, ok, "nothing left behind")
}

// A program's WithPolicy gives the groups `arun -g` creates with it their
// policy; the arun flags come after it; a bad edit refuses the program.
func TestGroupPolicyFromProgram(t *testing.T) {
	e := newEnv(t)
	require.NoError(t, e.progs.Register("patient", func(ctx *actors.Context) error { <-ctx.Done(); return actors.ErrStopped },
		"", actors.WithPolicy(func(p *actors.Policy) { p.MaxBadness, p.MinRunTime, p.MaxBackoff = 7, time.Second, 4*time.Second })))
	e.run(2, "patient")
	_, err := e.ctl.Run(3, "patient", nil, actors.RunPolicy(func(p *actors.Policy) { p.MaxBadness = 2 }))
	require.NoError(t, err)
	g, _ := e.group(2)
	assert.Equal(t, actors.Policy{MaxBadness: 7, Interval: 10 * time.Second, MinRunTime: time.Second, MaxBackoff: 4 * time.Second}, g.Policy)
	assert.Equal(t, "7/10s backoff 1s-4s", g.Policy.String())
	g, _ = e.group(3)
	assert.Equal(t, 2, g.Policy.MaxBadness)

	err = e.progs.Register("bad", func(ctx *actors.Context) error { return nil }, "",
		actors.WithPolicy(func(p *actors.Policy) { p.MaxBadness = -1 }))
	assert.EqualError(t, err, `program "bad": policy: actors: bad config: MaxBadness -1 (want 0..1000)`)
	huge := int64(1) << 31 // a variable: the constant would not compile for a 32-bit vet
	err = e.progs.Register("huge", func(ctx *actors.Context) error { return nil }, "",
		actors.WithPolicy(func(p *actors.Policy) { p.MaxBadness = int(huge) }))
	assert.EqualError(t, err, `program "huge": policy: actors: bad config: MaxBadness 2147483648 (want 0..1000)`)
}

// The group's backoff applies to its restarts.
func TestGroupPolicyBackoff(t *testing.T) {
	e := newEnv(t)
	aid, err := e.ctl.Run(0, "wait", nil, actors.RunPolicy(func(p *actors.Policy) { p.MinRunTime, p.MaxBackoff = 2*time.Second, 8*time.Second }))
	require.NoError(t, err)
	require.NoError(t, e.ctl.Kill(aid))
	assert.Equal(t, actors.Event{Kind: actors.EventGroupRestarting, At: e.uptime(), GID: 0, Restarts: 1, AID: aid, Actor: "wait.0.1",
		Cause: "aid " + itoa(aid) + " wait.0.1: killed by akill", Delay: 2 * time.Second, MinRunTime: 2 * time.Second},
		e.waitEvent(actors.EventGroupRestarting, 0))
}

func TestParsePolicyFlags(t *testing.T) {
	base := actors.Policy{MaxBadness: 3, Interval: 10 * time.Second, MinRunTime: time.Second, MaxBackoff: 5 * time.Second}
	for _, tc := range []struct {
		args []string
		want actors.Policy
		rest []string
		err  string
	}{
		{args: []string{"prog", "-x"}, want: base, rest: []string{"prog", "-x"}},
		{args: []string{"-badness", "0", "-interval", "1m", "prog"}, want: actors.Policy{Interval: time.Minute, MinRunTime: time.Second, MaxBackoff: 5 * time.Second}, rest: []string{"prog"}},
		{args: []string{"-backoff", "0", "p"}, want: actors.Policy{MaxBadness: 3, Interval: 10 * time.Second}, rest: []string{"p"}},
		{args: []string{"-backoff", "2s-3s", "p", "a"}, want: actors.Policy{MaxBadness: 3, Interval: 10 * time.Second, MinRunTime: 2 * time.Second, MaxBackoff: 3 * time.Second}, rest: []string{"p", "a"}},
		{args: []string{"-badness", "-1", "p"}, err: `actors: bad config: -badness "-1" (want a number ≥ 0)`},
		{args: []string{"-interval", "0s", "p"}, err: `actors: bad config: -interval "0s" (want a duration > 0, e.g. 30s)`},
		{args: []string{"-backoff", "5s-1s", "p"}, err: `actors: bad config: -backoff "5s-1s" (want MIN-MAX with 0 < MIN ≤ MAX, e.g. 1s-5s, or 0)`},
		{args: []string{"-badness", "1", "-badness", "2", "p"}, err: `actors: bad config: -badness given twice`},
		{args: []string{"-bad", "1", "p"}, err: `actors: bad config: unknown flag -bad (want -badness, -interval, -backoff)`},
	} {
		edit, rest, err := actors.ParsePolicyFlags(tc.args)
		if tc.err != "" {
			assert.EqualError(t, err, tc.err, "%q", tc.args)
			continue
		}
		require.NoError(t, err, "%q", tc.args)
		p := base
		if edit != nil {
			edit(&p)
		}
		assert.Equal(t, tc.want, p, "%q", tc.args)
		assert.Equal(t, tc.rest, rest, "%q", tc.args)
	}
}

// A group's own policy stays within the tunables' ranges (SV28-1: a typo
// must not leave a group waiting for hours).
func TestPolicyBounds(t *testing.T) {
	ok := actors.Policy{MaxBadness: 1000, Interval: time.Hour, MinRunTime: 10 * time.Minute, MaxBackoff: 10 * time.Minute}
	require.NoError(t, ok.Validate())
	require.NoError(t, actors.Policy{Interval: 100 * time.Millisecond}.Validate())
	for _, tc := range []struct {
		p   actors.Policy
		err string
	}{
		{actors.Policy{MaxBadness: 1001, Interval: time.Second}, "MaxBadness 1001 (want 0..1000)"},
		{actors.Policy{Interval: 99 * time.Millisecond}, "Interval 99ms (want 100ms..1h0m0s)"},
		{actors.Policy{Interval: 2562047 * time.Hour}, "Interval 2562047h0m0s (want 100ms..1h0m0s)"},
		{actors.Policy{Interval: time.Second, MinRunTime: time.Hour, MaxBackoff: time.Hour}, "MinRunTime 1h0m0s (want 0..10m0s)"},
		{actors.Policy{Interval: time.Second, MinRunTime: time.Second, MaxBackoff: 11 * time.Minute}, "MaxBackoff 11m0s (want 0..10m0s)"},
		{actors.Policy{Interval: time.Second, MinRunTime: 2 * time.Second, MaxBackoff: time.Second}, "MaxBackoff 1s (want at least MinRunTime 2s, or 0)"},
	} {
		assert.EqualError(t, tc.p.Validate(), "policy: actors: bad config: "+tc.err)
	}
}

// `resume GID` cuts a group's backoff short: the operator decides, as for
// a held group (SV28-1); the waiting restart worker then gives up.
func TestResumeCutsBackoffShort(t *testing.T) {
	e := newEnv(t)
	aid, err := e.ctl.Run(0, "wait", nil, actors.RunPolicy(func(p *actors.Policy) { p.MinRunTime, p.MaxBackoff = 10*time.Minute, 10*time.Minute }))
	require.NoError(t, err)
	require.NoError(t, e.ctl.Kill(aid))
	e.waitGroupState(0, actors.GroupBackoff)
	require.NoError(t, e.ctl.ResumeGroup(0))
	e.waitRunning("wait.0.1", 2)
	assert.Equal(t, actors.Event{Kind: actors.EventGroupBackoffCut, At: e.uptime(), GID: 0, Restarts: 1, Delay: 10 * time.Minute},
		e.waitEvent(actors.EventGroupBackoffCut, 0))
	g, _ := e.group(0)
	assert.Equal(t, 1, g.Restarts, "the restart counted once")
	e.clk.Advance(10 * time.Minute)
	pause()
	assert.Equal(t, 2, e.actor("wait.0.1").Gen, "the worker gave up: no second start")
	assert.ErrorIs(t, e.ctl.ResumeGroup(0), actors.ErrGroupBusy)
}

// A policy function that panics (a user's bug) refuses the program at
// Register, or the Run, with one error: never a crash (SV28-5).
func TestPolicyFunctionPanics(t *testing.T) {
	e := newEnv(t)
	boom := func(*actors.Policy) { panic("policy bug") }
	err := e.progs.Register("pol", func(ctx *actors.Context) error { return nil }, "", actors.WithPolicy(boom))
	assert.EqualError(t, err, `program "pol": actors: bad config: policy function panicked: policy bug`)
	assert.NotContains(t, e.progs.Names(), "pol")
	_, err = e.ctl.Run(3, "wait", nil, actors.RunPolicy(boom))
	assert.EqualError(t, err, "actors: bad config: policy function panicked: policy bug")
	_, ok := e.group(3)
	assert.False(t, ok)
}
