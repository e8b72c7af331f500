package actors_test

import (
	"bytes"
	"testing"

	"github.com/stretchr/testify/assert"

	"github.com/hotrestart/tamago-hr/actors"
)

// APSGroupAIDs reads back what WriteAPS writes: only rows whose AID and
// GROUP are numbers, of the group asked for, in aps's order; never the
// group table (its fifth column is "b/max"), an actor with no incarnation
// or an ordinary actor.
func TestAPSGroupAIDs(t *testing.T) {
	var buf bytes.Buffer
	actors.WriteAPS(&buf, []actors.ActorInfo{
		{AID: 12, Gen: 2, Name: "a.1.1", Program: "idle", Group: 1, Kind: actors.Direct, State: actors.StateRunning},
		{AID: 0, Gen: 1, Name: "kid", Program: "wait", Group: 1, Kind: actors.Indirect, State: actors.StateBlocked},
		{AID: 9, Gen: 1, Name: "b.1.2", Program: "idle", Group: 1, Kind: actors.Direct, State: actors.StateRunning},
		{AID: 15, Gen: 1, Name: "c.2.1", Program: "idle", Group: 2, Kind: actors.Direct, State: actors.StateRunning},
		{AID: 1, Gen: 1, Name: "wait", Program: "wait", Group: -1, Kind: actors.Ordinary, State: actors.StateRunning, Args: []string{"1", "1", "1", "1"}},
	}, []actors.GroupInfo{{GID: 1, State: actors.GroupRunning, Members: 3, Running: 2, MaxBadness: 3},
		{GID: 2, State: actors.GroupRunning, Members: 1, Running: 1, MaxBadness: 3}})
	out := buf.String()
	assert.Equal(t, []int{12, 9}, actors.APSGroupAIDs(out, 1))
	assert.Equal(t, []int{15}, actors.APSGroupAIDs(out, 2))
	assert.Nil(t, actors.APSGroupAIDs(out, 3))
	assert.Nil(t, actors.APSGroupAIDs(out, -1))
	assert.Nil(t, actors.APSGroupAIDs("", 1))
}
