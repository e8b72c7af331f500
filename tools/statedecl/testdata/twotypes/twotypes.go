package twotypes

import "github.com/hotrestart/tamago-hr/actors"

type odo struct{ Meters uint64 }

type trip struct{ Meters float64 }

var Odo, Trip = actors.WithState[odo]("ODO"), actors.WithState[trip]("ODO")
