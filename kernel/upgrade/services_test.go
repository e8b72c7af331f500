package upgrade

import (
	"testing"

	"github.com/stretchr/testify/require"
)

func watching(gids ...uint16) State {
	s := onTrial()
	s.Groups = gids
	return s
}

// A trial fails at once when a group that ran before the upgrade is held
// or cannot load its state, and at its end when one is not running; other
// groups are not judged.
func TestTrialJudgesServices(t *testing.T) {
	running := []Health{{GID: 1, State: "running"}, {GID: 2, State: "running"}}
	for _, tc := range []struct {
		name   string
		health []Health
		atEnd  bool
		why    string
	}{
		{"all running", running, true, ""},
		{"restarting during the trial", []Health{{GID: 1, State: "backoff"}, {GID: 2, State: "running"}}, false, ""},
		{"held", []Health{{GID: 1, State: "running"}, {GID: 2, State: "held-policy", Held: true}}, false,
			"group 2 is held by its restart policy"},
		{"held by its service", []Health{{GID: 1, State: "running"}, {GID: 2, State: "held-service", Held: true}}, false,
			"group 2 is held by its service"},
		{"state", []Health{{GID: 1, State: "backoff", StateError: "actors: state of another type: …"}, {GID: 2, State: "running"}}, false,
			"group 1 cannot load its state: actors: state of another type: …"},
		{"not running at the end", []Health{{GID: 1, State: "backoff"}, {GID: 2, State: "running"}}, true,
			"group 1 is backoff, not running, at the trial's end"},
		{"gone at the end", []Health{{GID: 2, State: "running"}}, true,
			"group 1, running before the upgrade, is gone at the trial's end"},
		{"a new group is not judged", append(running, Health{GID: 3, State: "held-policy", Held: true}), true, ""},
	} {
		t.Run(tc.name, func(t *testing.T) {
			s := watching(1, 2)
			require.Equal(t, tc.why != "", s.Services(tc.health, tc.atEnd))
			if tc.why == "" {
				require.Equal(t, Trial, s.Phase)
				return
			}
			require.Equal(t, RolledBack, s.Phase)
			require.Equal(t, tc.why, s.Why)
			require.False(t, s.Services(tc.health, tc.atEnd), "ends once")
		})
	}
}

// The status lines of the watched groups.
func TestHealthLine(t *testing.T) {
	h := []Health{{GID: 1, State: "running"}, {GID: 2, State: "backoff", StateError: "no valid state"}}
	require.Equal(t, "group 1: running", HealthLine(1, h))
	require.Equal(t, "group 2: backoff, cannot load its state: no valid state", HealthLine(2, h))
	require.Equal(t, "group 3: gone", HealthLine(3, h))
}

// The groups are kept with the state, and a payload of an image before
// them still decodes.
func TestStateKeepsGroups(t *testing.T) {
	s := watching(1, 7, 65535)
	got, err := UnmarshalState(s.Marshal())
	require.NoError(t, err)
	require.Equal(t, s, got)
	old := s.Marshal()[:offGroups]
	got, err = UnmarshalState(old)
	require.NoError(t, err)
	s.Groups = nil
	require.Equal(t, s, got)
	long := watching(1)
	require.True(t, long.Services([]Health{{GID: 1, StateError: "actors: state of another type: state ODO@1 (layout 01234567, 12 bytes) " +
		"cannot become main.odoState (layout 89abcdef, 20 bytes): Label: uint64 → [8]uint8 cannot be migrated"}}, false))
	require.Equal(t, "group 1 cannot load its state: …nnot become main.odoState "+
		"(layout 89abcdef, 20 bytes): Label: uint64 → [8]uint8 cannot be migrated", long.Why)
	got, err = UnmarshalState(long.Marshal())
	require.NoError(t, err)
	require.Equal(t, long.Why, got.Why, "kept whole in the bank")
	bad := watching(1).Marshal()
	bad[offGroups] = MaxGroups + 1
	_, err = UnmarshalState(bad)
	require.Error(t, err)
}
