//go:build badtype

package main

import "github.com/hotrestart/tamago-hr/actors"

// odoState with a field the bank cannot keep (built with `-tags badtype`:
// the Makefile's hr-app-badtype image): a string points into the heap,
// which a restart does not keep. Registration refuses the odometer at
// boot, naming the field; every start of it fails at once, with no
// restart loop, and the image's console runs. Declared directly, the type
// would stop the build itself (tools/statedecl names the field); through
// a generic helper, which the build does not follow, it reaches the board.
// Its own go test fails too (state_test.go: statetest.CheckPrograms).
type odoState struct {
	Meters uint64
	Starts uint32
	Note   string
}

func odometerState(*actors.Programs) ([]actors.ProgramOption, error) {
	return []actors.ProgramOption{declare[odoState]("ODO")}, nil
}

func declare[T any](name string) actors.ProgramOption { return actors.WithState[T](name) }

func onStart(*odoState) string { return "" }

func (s odoState) meters() uint64 { return s.Meters }
func (s *odoState) add(m uint64)  { s.Meters += m }
