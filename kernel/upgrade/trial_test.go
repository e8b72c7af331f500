package upgrade

import (
	"testing"

	"github.com/stretchr/testify/require"
)

const trialMs = 60000

func onTrial() State {
	var s State
	s.Begin("v1", "v2", 1000)
	return s
}

func TestTrialCommitsByItself(t *testing.T) {
	s := onTrial()
	require.False(t, s.OnBoot(Boot{ClockMs: 1000, Running: "v2"}))
	require.False(t, s.Tick(1000+trialMs-1, trialMs), "one ms short")
	require.Equal(t, Trial, s.Phase)
	require.True(t, s.Tick(1000+trialMs, trialMs))
	require.Equal(t, State{Phase: Committed, From: "v1", To: "v2", StartMs: 1000}, s)
	require.False(t, s.Tick(1000+2*trialMs, trialMs), "ends once")
	require.Equal(t, "committed: v2 (previous v1)", s.String())
}

func TestTrialRollsBack(t *testing.T) {
	for _, tc := range []struct {
		name string
		boot Boot
		back bool
		why  string
	}{
		{"crash loop", Boot{Running: "v2", AutoSite: true, SafeMode: true}, true, "crash loop during the trial"},
		{"watchdog", Boot{Running: "v2", Reset: true}, true, "watchdog or unexplained reset during the trial"},
		{"board reset reloads v1", Boot{Running: "v1", Reset: true}, false, "a reset reloaded the flashed image during the trial"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			s := onTrial()
			require.Equal(t, tc.back, s.OnBoot(tc.boot))
			require.Equal(t, RolledBack, s.Phase)
			require.Equal(t, tc.why, s.Why)
			require.Equal(t, "rolled back from v2 to v1: "+tc.why, s.String())
		})
	}
}

func TestTrialWithSiteRestartNeedsCommit(t *testing.T) {
	s := onTrial()
	require.False(t, s.OnBoot(Boot{Running: "v2", AutoSite: true}))
	require.Equal(t, uint32(1), s.Restarts)
	require.Equal(t, Trial, s.Phase)
	require.True(t, s.Tick(1000+trialMs, trialMs))
	require.Equal(t, RolledBack, s.Phase)
	require.Equal(t, "1 automatic site restarts in a 60000 ms trial, no commit", s.Why)

	s = onTrial()
	require.False(t, s.OnBoot(Boot{Running: "v2", AutoSite: true}))
	require.NoError(t, s.Commit())
	require.Equal(t, Committed, s.Phase)
	require.False(t, s.Tick(1000+trialMs, trialMs))
	require.EqualError(t, s.Commit(), "no upgrade on trial (committed)")
}

// An upgraded image lives in RAM: a board reset that reloads another
// version than the one the state says runs is told, never hidden.
func TestFlashedImageReloaded(t *testing.T) {
	committed := onTrial()
	require.NoError(t, committed.Commit())
	rolled := onTrial()
	require.True(t, rolled.OnBoot(Boot{Running: "v2", SafeMode: true}))
	for _, tc := range []struct {
		name    string
		s       State
		running string
		why     string
	}{
		{"trial, a third image flashed", onTrial(), "v3", "a reset reloaded the flashed image v3; v2 ran from RAM only and is gone: flash it to keep it"},
		{"committed, v1 flashed", committed, "v1", "a reset reloaded the flashed image v1; v2 ran from RAM only and is gone: flash it to keep it"},
		{"rolled back, v0 flashed", rolled, "v0", "a reset reloaded the flashed image v0; v1 ran from RAM only and is gone: flash it to keep it"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			s := tc.s
			require.False(t, s.OnBoot(Boot{Running: tc.running, Reset: true}))
			require.Equal(t, Reloaded, s.Phase)
			require.Equal(t, tc.why, s.Why)
			require.Equal(t, "reloaded: "+tc.why, s.String())
			back, err := UnmarshalState(s.Marshal())
			require.NoError(t, err)
			require.Equal(t, s, back)
			require.False(t, s.OnBoot(Boot{Running: "v2"}), "told once, then nothing to judge")
			require.Equal(t, Reloaded, s.Phase)
		})
	}
	// the expected version running: nothing changes
	s := committed
	require.False(t, s.OnBoot(Boot{Running: "v2", Reset: true}))
	require.Equal(t, committed, s)
	s = rolled
	require.False(t, s.OnBoot(Boot{Running: "v1"}))
	require.Equal(t, rolled, s)
}

// A new image that finds itself unfit at boot (programs the bank's groups
// need are missing) rolls back; Fail outside a trial changes nothing.
func TestTrialFail(t *testing.T) {
	s := onTrial()
	s.Fail("v2 lacks the programs counter the bank's groups run")
	require.Equal(t, "rolled back from v2 to v1: v2 lacks the programs counter the bank's groups run", s.String())
	c := onTrial()
	require.NoError(t, c.Commit())
	before := c
	c.Fail("x")
	require.Equal(t, before, c)
}

func TestNoTrialNoDecision(t *testing.T) {
	var s State
	require.False(t, s.OnBoot(Boot{Running: "v2", SafeMode: true, Reset: true}))
	require.False(t, s.Tick(1<<40, trialMs))
	require.Equal(t, State{}, s)
}

// A trial whose boot record was lost (the persistent clock starts again
// below the trial's start) is rolled back, never committed on a run time
// that wrapped around (hostile review of #20/#21).
func TestTrialWithClockGoneBackRollsBack(t *testing.T) {
	var s State
	s.Begin("v1", "v2", 50_000)
	require.True(t, s.OnBoot(Boot{ClockMs: 120, Running: "v2", AutoSite: true, RecordLost: true}))
	require.Equal(t, RolledBack, s.Phase)
	require.Contains(t, s.Why, "boot record was lost")

	s.Begin("v1", "v2", 50_000)
	require.Equal(t, uint64(0), s.RunMs(10))
	require.True(t, s.Tick(10, 8000), "a clock that went back ends the trial")
	require.Equal(t, RolledBack, s.Phase)

	s.Begin("v1", "v2", 50_000)
	require.False(t, s.Tick(57_999, 8000))
	require.True(t, s.Tick(58_000, 8000))
	require.Equal(t, Committed, s.Phase)
}
