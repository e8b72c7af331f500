//go:build !v2 && !v3 && !badstate && !incompat && !badtype

package main

import "github.com/hotrestart/tamago-hr/actors"

// odoState is what the odometer keeps across restarts: a fixed-size,
// pointer-free struct, committed whole (a reset mid-commit leaves the
// previous value). state_v2.go is its next version (`-tags v2`),
// state_v3.go the one after (`-tags v3`: centimeters, an explicit
// migration).
type odoState struct {
	Meters uint64 // distance so far
	Starts uint32 // starts of the service: first run, group and site restarts
}

// odometerState declares the odometer's state with its program, so that
// the type is checked at boot and recorded in the image's manifest (a
// running image refuses an upgrade that cannot take it).
func odometerState(*actors.Programs) ([]actors.ProgramOption, error) {
	return []actors.ProgramOption{actors.WithState[odoState]("ODO")}, nil
}

// onStart updates what this version adds to the state at each start and
// says it for the start line ("" here).
func onStart(*odoState) string { return "" }

func (s odoState) meters() uint64 { return s.Meters }
func (s *odoState) add(m uint64)  { s.Meters += m }
