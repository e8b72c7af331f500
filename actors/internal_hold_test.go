package actors

import (
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// The hold and the group's own policy are appended to the group record:
// they round-trip, a record of an image before them reads as the
// tunables' policy and a policy hold, and a stored policy out of range is
// not trusted.
func TestGroupRecordHoldAndPolicy(t *testing.T) {
	pol := Policy{MaxBadness: 0, Interval: time.Minute, MinRunTime: time.Second, MaxBackoff: 9 * time.Second}
	g := groupRec{gid: 7, held: true, heldByService: true, holdWhy: "state S@7 cannot be loaded", badness: 1,
		leaseEnd: 64, lastFailure: "aid 3 x held it", policy: &pol, served: []string{"kv", "odometer@7"}}
	g2, err := decodeGroup(g.encode())
	require.NoError(t, err)
	assert.Equal(t, g, g2)

	old := groupRec{gid: 7, held: true, leaseEnd: 64, lastFailure: "aid 3 x: panic"}
	enc := old.encode()
	g2, err = decodeGroup(enc[:len(enc)-2-28-2]) // without the hold reason, the policy and the names served
	require.NoError(t, err)
	assert.Equal(t, old, g2)
	assert.False(t, g2.heldByService)
	assert.Nil(t, g2.policy)

	bad := Policy{Interval: 0}
	g.policy = &bad
	_, err = decodeGroup(g.encode())
	assert.ErrorIs(t, err, ErrBadConfig)
}
