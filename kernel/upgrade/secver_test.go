package upgrade

import (
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func secManifest(version, security string) Manifest {
	m := Manifest{KeyVersion: version, KeyBoard: "mx6ullevk"}
	if security != "" {
		m[KeySecurity] = security
	}
	return m
}

// An image below the floor is refused with one line naming both numbers.
func TestSecurityRefusesDowngrade(t *testing.T) {
	err := secManifest("v1", "1").CheckSecurity(2)
	require.ErrorIs(t, err, ErrDowngrade)
	assert.EqualError(t, err, "downgrade: v1 has security version 1, below 2, the highest this board committed")
	// an image from before security versions is version 0
	require.ErrorIs(t, secManifest("v0", "").CheckSecurity(1), ErrDowngrade)
}

// At or above the floor is allowed; a blank bank's floor 0 allows all.
func TestSecurityAllows(t *testing.T) {
	require.NoError(t, secManifest("v2", "2").CheckSecurity(2))
	require.NoError(t, secManifest("v3", "3").CheckSecurity(2))
	require.NoError(t, secManifest("v0", "").CheckSecurity(0))
	require.NoError(t, secManifest("v0", "0").CheckSecurity(0))
}

func TestSecurityBadValue(t *testing.T) {
	for _, s := range []string{"-1", "x", "4294967296", " 1", "0x2"} {
		err := secManifest("v", s).CheckSecurity(0)
		require.ErrorIs(t, err, ErrManifest, "%q", s)
	}
}

// The trial of a higher image does not raise the floor, so its automatic
// rollback to the image it replaced, and that image's next boots, keep
// working; the commit raises it, and then the old image is refused.
func TestSecurityRollbackAfterTrial(t *testing.T) {
	v1, v2 := secManifest("v1", "1"), secManifest("v2", "2")
	floor := FloorAtBoot(0, 1, false) // v1 flashed and booted
	require.Equal(t, uint32(1), floor)
	require.NoError(t, v2.CheckSecurity(floor))

	// v2 on trial: the floor stays, a failed trial rolls back to v1
	var s State
	s.Begin("v1", "v2", 0)
	floor = FloorAtBoot(floor, 2, s.Phase == Trial && s.To == "v2")
	assert.Equal(t, uint32(1), floor)
	require.True(t, s.OnBoot(Boot{Running: "v2", SafeMode: true}), "crash loop: roll back")
	floor = FloorAtBoot(floor, 1, false) // v1 runs again
	assert.Equal(t, uint32(1), floor)
	require.NoError(t, v1.CheckSecurity(floor), "v1 may still be upgraded to itself")
	require.NoError(t, v2.CheckSecurity(floor), "and v2 tried again")

	// v2 again, committed: the floor rises, v1 is refused from now on
	s.Begin("v1", "v2", 0)
	require.NoError(t, s.Commit())
	floor = FloorAtCommit(floor, 2)
	assert.Equal(t, uint32(2), floor)
	require.ErrorIs(t, v1.CheckSecurity(floor), ErrDowngrade)
	assert.Equal(t, uint32(2), FloorAtBoot(floor, 1, false), "the floor never falls")
}

func TestFloorPayload(t *testing.T) {
	p := MarshalFloor(0x01020304)
	assert.Equal(t, []byte{4, 3, 2, 1}, p)
	v, err := UnmarshalFloor(p)
	require.NoError(t, err)
	assert.Equal(t, uint32(0x01020304), v)
	_, err = UnmarshalFloor(p[:3])
	require.Error(t, err)
}
