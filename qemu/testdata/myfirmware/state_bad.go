//go:build badstate

package main

import "github.com/hotrestart/tamago-hr/actors"

// odoState as a change that no migration can carry (built with `-tags
// badstate`: the Makefile's hr-app-bad image, for the QEMU test of an
// upgrade whose service cannot load its state): Label takes its value from
// Meters (a rename by tag), but a number does not become an array. The
// odometer fails at every start with actors.ErrStateMismatch naming the
// field, and the upgrade's trial rolls back. The state is not declared
// with the program (odometerState), so the running image cannot refuse the
// upgrade before the switch: the trial is what catches it.
type odoState struct {
	Meters uint64
	Starts uint32
	Label  [8]byte `hr:"was=Meters"`
}

func onStart(*odoState) string { return "" }

func odometerState(*actors.Programs) ([]actors.ProgramOption, error) { return nil, nil }

func (s odoState) meters() uint64 { return s.Meters }
func (s *odoState) add(m uint64)  { s.Meters += m }
