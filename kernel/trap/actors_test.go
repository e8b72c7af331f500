package trap

import (
	"testing"

	"github.com/hotrestart/tamago-hr/board/tunables"
	"github.com/stretchr/testify/assert"
)

// The table holds every actor the image may register, and as many
// incarnations still ending their stop (it was 1024 slots against an
// hrCtrl.maxActors that goes to 4096).
func TestActorTableHoldsMaxActors(t *testing.T) {
	assert.Equal(t, 2*int(tunables.MaxActors), len(actorGs))
}

// Each running actor's g is in the table until it ends; a full table
// leaves the next actor out (its fault is a site restart), and an ended
// actor's slot is used again.
func TestActorTable(t *testing.T) {
	actorGs = [len(actorGs)]uintptr{}
	t.Cleanup(func() { actorGs = [len(actorGs)]uintptr{} })
	track(0x100, true)
	track(0x200, true)
	assert.True(t, isActor(0x100))
	assert.True(t, isActor(0x200))
	assert.False(t, isActor(0x300))
	assert.False(t, isActor(0), "an empty slot is no actor")
	track(0x100, false)
	assert.False(t, isActor(0x100))
	assert.True(t, isActor(0x200))

	for g := uintptr(1); g < uintptr(len(actorGs)); g++ {
		track(0x10000+g, true)
	}
	track(0x999999, true)
	assert.False(t, isActor(0x999999), "the table is full")
	track(0x200, false)
	track(0x999999, true)
	assert.True(t, isActor(0x999999), "a freed slot is used again")
}
