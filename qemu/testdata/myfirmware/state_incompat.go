//go:build incompat

package main

import "github.com/hotrestart/tamago-hr/actors"

// odoState as a change that no rule can carry, declared with the program
// (built with `-tags incompat`: the Makefile's hr-app-incompat image): the
// build records the layout in the manifest, so a running version 1 whose
// bank holds ODO@N refuses the upgrade before anything stops, naming the
// field (Meters uint64 → float64).
type odoState struct {
	Meters float64
	Starts uint32
}

func odometerState(*actors.Programs) ([]actors.ProgramOption, error) {
	return []actors.ProgramOption{actors.WithState[odoState]("ODO")}, nil
}

func onStart(*odoState) string { return "" }

func (s odoState) meters() uint64 { return uint64(s.Meters) }
func (s *odoState) add(m uint64)  { s.Meters += float64(m) }
