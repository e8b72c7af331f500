package actors

import (
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// `aps -json` byte for byte: a running restartable actor, a registered one
// not running (no uptime), an ordinary one; a group in backoff.
func TestAPSJSONLine(t *testing.T) {
	actors := []ActorInfo{
		{AID: 33, LastAID: 33, Gen: 2, Name: "maze.1.1", Program: "maze", Args: []string{"-rate", "10"}, Group: 1,
			Kind: Direct, State: StateRunning, Restarts: 1, Uptime: 1500 * time.Millisecond},
		{LastAID: 34, Gen: 1, Name: "child.1.2", Program: "child", Group: 1, Kind: Indirect, State: StateBlocked,
			Uptime: time.Hour, Spawner: "maze.1.1"},
		{AID: 40, Gen: 1, Name: "echo.40", Program: "echo", Group: -1, Kind: Ordinary, State: StateRunning, Uptime: 2 * time.Second},
	}
	groups := []GroupInfo{{GID: 1, State: GroupBackoff, Members: 2, Direct: 1, Running: 1, Blocked: 1, Restarts: 1,
		Badness: 2, MaxBadness: 3, Backoff: 250 * time.Millisecond, LastFailure: "maze.1.1: panic: x"}}
	b, err := NewAPSJSON(actors, groups).Line()
	require.NoError(t, err)
	assert.Equal(t, `{"actors":[`+
		`{"aid":33,"gen":2,"name":"maze.1.1","program":"maze","args":["-rate","10"],"group":1,"kind":"direct",`+
		`"state":"running","restarts":1,"uptime_ms":1500,"spawner":"","note":""},`+
		`{"aid":0,"gen":1,"name":"child.1.2","program":"child","args":[],"group":1,"kind":"indirect",`+
		`"state":"blocked","restarts":0,"uptime_ms":0,"spawner":"maze.1.1","note":""},`+
		`{"aid":40,"gen":1,"name":"echo.40","program":"echo","args":[],"group":-1,"kind":"ordinary",`+
		`"state":"running","restarts":0,"uptime_ms":2000,"spawner":"","note":""}],`+
		`"groups":[{"gid":1,"state":"backoff","members":2,"direct":1,"running":1,"blocked":1,"restarts":1,`+
		`"badness":2,"max_badness":3,"backoff_ms":250,"last_failure":"maze.1.1: panic: x","state_error":""}]}`+"\n", string(b))

	b, err = NewAPSJSON(nil, nil).Line()
	require.NoError(t, err)
	assert.Equal(t, `{"actors":[],"groups":[]}`+"\n", string(b), "no list is null")
}
