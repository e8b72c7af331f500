//go:build v2

package main

import (
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/hotrestart/tamago-hr/actors"
	"github.com/hotrestart/tamago-hr/actors/statetest"
)

// odoStateV1 is version 1 of odoState, kept here as it was (state.go)
// so that the migration from it stays tested.
type odoStateV1 struct {
	Meters uint64
	Starts uint32
}

// Version 2 starts from version 1's distance and starts, with no trips;
// a rollback to version 1 gets them back.
func TestOdoStateFromV1(t *testing.T) {
	got, note, err := statetest.Migrate[odoStateV1, odoState](odoStateV1{Meters: 1230, Starts: 4})
	require.NoError(t, err)
	require.Equal(t, odoState{Meters: 1230, Starts: 4}, got)
	require.Contains(t, note, "added Trips")

	back, note, err := statetest.Migrate[odoState, odoStateV1](odoState{Meters: 1240, Starts: 5, Trips: 1})
	require.NoError(t, err)
	require.Equal(t, odoStateV1{Meters: 1240, Starts: 5}, back)
	require.Contains(t, note, "dropped Trips")
}

// A state that cannot become version 2 fails the Load with the field's
// name, and the bank keeps the old value.
func TestOdoStateRefusesFloatMeters(t *testing.T) {
	type odoStateFloat struct {
		Meters float64
		Starts uint32
	}
	_, _, err := statetest.Migrate[odoStateFloat, odoState](odoStateFloat{Meters: 1.5})
	require.ErrorIs(t, err, actors.ErrStateMismatch)
	require.ErrorContains(t, err, "Meters: float64 → uint64 cannot be migrated")
}
