package main

import (
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/hotrestart/tamago-hr/actors"
	"github.com/hotrestart/tamago-hr/actors/statetest"
)

// Every state the odometer declares can be kept in the bank, whatever the
// build's version: what the board checks at boot, found by go test.
func TestOdometerStateDeclared(t *testing.T) {
	require.NoError(t, statetest.Check[odoState]())
	require.NoError(t, statetest.CheckPrograms(func(p *actors.Programs) error {
		opts, err := odometerState(p)
		if err != nil {
			return err
		}
		return p.Register("odometer", Odometer, "", opts...)
	}))
}
