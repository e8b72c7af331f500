//go:build badstate

package main

// odoState as a change that no migration can carry (built with `-tags
// badstate`: the Makefile's hr-app-bad image, for the QEMU test of an
// upgrade whose service cannot load its state): Label takes its value from
// Meters (a rename by tag), but a number does not become an array. The
// odometer fails at every start with actors.ErrStateMismatch naming the
// field, and the upgrade's trial rolls back.
type odoState struct {
	Meters uint64
	Starts uint32
	Label  [8]byte `hr:"was=Meters"`
}

func onStart(*odoState) string { return "" }
