//go:build v3

package main

import (
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/hotrestart/tamago-hr/actors"
	"github.com/hotrestart/tamago-hr/actors/statetest"
)

// Version 3 takes version 1's and version 2's meters in centimeters, by
// its registered functions (chained from version 1).
func TestOdoStateV3FromEarlier(t *testing.T) {
	var p actors.Programs
	_, err := odometerState(&p)
	require.NoError(t, err)

	got, note, err := statetest.MigrateWith[odoStateV1, odoState](&p, odoStateV1{Meters: 1230, Starts: 4})
	require.NoError(t, err)
	require.Equal(t, odoState{Centimeters: 123000, Starts: 4}, got)
	require.Contains(t, note, "by main.odoStateV1 → main.odoStateV2, main.odoStateV2 → main.odoState")

	got, _, err = statetest.MigrateWith[odoStateV2, odoState](&p, odoStateV2{Meters: 7, Starts: 2, Trips: 1})
	require.NoError(t, err)
	require.Equal(t, odoState{Centimeters: 700, Starts: 2, Trips: 1}, got)

	_, _, err = statetest.MigrateWith[odoStateV2, odoState](&p, odoStateV2{Meters: 1 << 60})
	require.ErrorIs(t, err, actors.ErrStateMismatch)
	require.ErrorContains(t, err, "1152921504606846976 m does not fit in centimeters")
}
