//go:build !v2 && !badstate

package main

// odoState is what the odometer keeps across restarts: a fixed-size,
// pointer-free struct, committed whole (a reset mid-commit leaves the
// previous value). state_v2.go is its next version (`-tags v2`).
type odoState struct {
	Meters uint64 // distance so far
	Starts uint32 // starts of the service: first run, group and site restarts
}

// onStart updates what this version adds to the state at each start and
// says it for the start line ("" here).
func onStart(*odoState) string { return "" }
