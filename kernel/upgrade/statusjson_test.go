package upgrade

import (
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// `upgrade status -json` byte for byte: a trial watching three groups (one
// gone, one whose state does not load) and a rollback.
func TestStatusJSONLine(t *testing.T) {
	s := State{Phase: Trial, From: "v1", To: "v2", StartMs: 100, Restarts: 1, Groups: []uint16{1, 2, 3}}
	health := []Health{{GID: 1, State: "running"}, {GID: 3, State: "held-policy", Held: true, StateError: "bad state"}}
	j := NewStatusJSON(s, 40000, 30000, health)
	j.Running, j.StagedNew, j.StagedPrev, j.Security, j.Floor = "v2", "v2", "v1", 3, 2
	b, err := j.Line()
	require.NoError(t, err)
	assert.Equal(t, `{"running":"v2","staged_new":"v2","staged_new_error":"","staged_previous":"v1",`+
		`"staged_previous_error":"","security":3,"security_floor":2,"phase":"trial","from":"v1","to":"v2",`+
		`"why":"","trial_ms":30000,"trial_limit_ms":30000,"trial_site_restarts":1,"groups":[`+
		`{"gid":1,"state":"running","state_error":""},{"gid":2,"state":"gone","state_error":""},`+
		`{"gid":3,"state":"held-policy","state_error":"bad state"}]}`+"\n", string(b))

	j = NewStatusJSON(State{Phase: RolledBack, From: "v1", To: "v2", Why: "group 2 not running", Groups: []uint16{2}}, 5, 30000, nil)
	b, err = j.Line()
	require.NoError(t, err)
	assert.Equal(t, `{"running":"","staged_new":"","staged_new_error":"","staged_previous":"",`+
		`"staged_previous_error":"","security":0,"security_floor":0,"phase":"rolled-back","from":"v1","to":"v2",`+
		`"why":"group 2 not running","trial_ms":0,"trial_limit_ms":30000,"trial_site_restarts":0,"groups":[]}`+"\n", string(b))
}

func TestPhaseName(t *testing.T) {
	for p, want := range map[Phase]string{Idle: "none", Trial: "trial", Committed: "committed", RolledBack: "rolled-back", Reloaded: "reloaded"} {
		assert.Equal(t, want, PhaseName(p))
	}
}
