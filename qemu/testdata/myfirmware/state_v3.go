//go:build v3

package main

import (
	"fmt"

	"github.com/hotrestart/tamago-hr/actors"
)

// odoState, version 3 (built with `-tags v3`; the Makefile's hr-app-v3
// image): the distance is kept in centimeters, a change of meaning that
// no rule by name can guess. Explicit migrations, registered with the
// program, carry version 1 and version 2 over (chained: 1 → 2 → 3); Load
// commits the result, so the conversion runs once, not at every restart.
type odoState struct {
	Centimeters uint64 // distance so far
	Starts      uint32
	Trips       uint32 // starts of version 2 and later
}

// odoStateV1 and odoStateV2 are the earlier versions, frozen.
type (
	odoStateV1 struct {
		Meters uint64
		Starts uint32
	}
	odoStateV2 struct {
		Meters uint64
		Starts uint32
		Trips  uint32
	}
)

func fromV1(o odoStateV1) (odoStateV2, error) {
	return odoStateV2{Meters: o.Meters, Starts: o.Starts}, nil
}

func fromV2(o odoStateV2) (odoState, error) {
	if o.Meters > 1<<64/100-1 {
		return odoState{}, fmt.Errorf("%d m does not fit in centimeters", o.Meters)
	}
	return odoState{Centimeters: o.Meters * 100, Starts: o.Starts, Trips: o.Trips}, nil
}

func odometerState(p *actors.Programs) ([]actors.ProgramOption, error) {
	if err := actors.RegisterMigration(p, fromV1); err != nil {
		return nil, err
	}
	if err := actors.RegisterMigration(p, fromV2); err != nil {
		return nil, err
	}
	return []actors.ProgramOption{actors.WithState[odoState]("ODO")}, nil
}

func onStart(s *odoState) string {
	s.Trips++
	return fmt.Sprintf(", trip %d (cm)", s.Trips)
}

func (s odoState) meters() uint64 { return s.Centimeters / 100 }
func (s *odoState) add(m uint64)  { s.Centimeters += m * 100 }
