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

func TestTrialAnotherImageFlashed(t *testing.T) {
	s := onTrial()
	require.False(t, s.OnBoot(Boot{Running: "v3", Reset: true}))
	require.Equal(t, State{}, s)
	require.Equal(t, "no upgrade", s.String())
}

func TestNoTrialNoDecision(t *testing.T) {
	var s State
	require.False(t, s.OnBoot(Boot{Running: "v2", SafeMode: true, Reset: true}))
	require.False(t, s.Tick(1<<40, trialMs))
	require.Equal(t, State{}, s)
}
