//go:build v2

package main

import (
	"fmt"

	"github.com/hotrestart/tamago-hr/actors"
)

// odoState, version 2 (built with `-tags v2`; the Makefile's hr-app-v2
// image): Trips is added. A bank written by version 1 is migrated by field
// name when the odometer loads it (Meters and Starts kept, Trips zero);
// odometer_v2_test.go checks that on the host, and a rollback to version 1
// drops Trips again.
type odoState struct {
	Meters uint64 // distance so far
	Starts uint32 // starts of the service: first run, group and site restarts
	Trips  uint32 // starts of version 2 of the service
}

func onStart(s *odoState) string {
	s.Trips++
	return fmt.Sprintf(", trip %d", s.Trips)
}

func odometerState(*actors.Programs) ([]actors.ProgramOption, error) {
	return []actors.ProgramOption{actors.WithState[odoState]("ODO")}, nil
}

func (s odoState) meters() uint64 { return s.Meters }
func (s *odoState) add(m uint64)  { s.Meters += m }
