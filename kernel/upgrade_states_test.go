//go:build !tamago

package kernel

import (
	"encoding/hex"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/hotrestart/tamago-hr/actors"
	"github.com/hotrestart/tamago-hr/kernel/upgrade"
	"github.com/hotrestart/tamago-hr/pmm"
)

type odo1 struct {
	Meters uint64
	Starts uint32
}

type odoFloat struct {
	Meters float64
	Starts uint32
}

type odo2 struct {
	Meters uint64
	Starts uint32
	Trips  uint32
}

func hexOf[T any](t *testing.T) string {
	b, err := actors.StateLayout[T]()
	require.NoError(t, err)
	return hex.EncodeToString(b)
}

// The running image checks the new manifest's declared states against the
// blocks of its bank, naming the program, the block and the field.
func TestCheckUpgradeStates(t *testing.T) {
	bank, _, err := pmm.Open(make([]byte, 256<<10), pmm.Geometry{Size: 256 << 10, MaxBlocks: 16})
	require.NoError(t, err)
	size, err := actors.BlockSize[odo1]()
	require.NoError(t, err)
	blk, err := bank.AllocateAs(pmm.User, "ODO@1", size, actors.GroupKey(1))
	require.NoError(t, err)
	s, _, err := actors.LoadBlock[odo1](blk, "ODO@1")
	require.NoError(t, err)
	require.NoError(t, s.Commit(odo1{Meters: 500, Starts: 3}))
	running := []actors.ActorInfo{{Name: "odometer.1.1", Program: "odometer", Group: 1}}
	m := upgrade.Manifest{upgrade.KeyVersion: "v2", upgrade.KeyBoard: "mx6ullevk"}

	require.NoError(t, checkUpgradeStates(bank, running, m), "no state declared: nothing to check")
	m["state.ODO"] = hexOf[odo2](t)
	require.NoError(t, checkUpgradeStates(bank, running, m))
	m["state.ODO"] = hexOf[odoFloat](t)
	err = checkUpgradeStates(bank, running, m)
	require.EqualError(t, err, "odometer: ODO@1: field Meters: uint64 → float64 cannot be migrated")
	require.EqualError(t, checkUpgradeStates(bank, nil, m), "group 1: ODO@1: field Meters: uint64 → float64 cannot be migrated")
	m["statemig.0"] = hexOf[odo1](t) + " " + hexOf[odoFloat](t)
	require.NoError(t, checkUpgradeStates(bank, running, m), "the new image converts it itself")
	delete(m, "statemig.0")
	m["state.OTHER"] = hexOf[odoFloat](t)
	m["state.ODO"] = hexOf[odo2](t)
	assert.NoError(t, checkUpgradeStates(bank, running, m), "a state not in the bank")
}
