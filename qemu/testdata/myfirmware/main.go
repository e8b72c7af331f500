// Command myfirmware is a firmware image of its own, outside the tamago-hr
// module: the hot restart kernel with one service, `odometer`, whose
// distance is typed persistent state, and one console command, `odo`, that
// calls the running service (actors.Call). Build and boot it from the
// tamago-hr checkout:
//
//	make image APP=qemu/testdata/myfirmware IMAGE=hr-app
//	make qemu APP=qemu/testdata/myfirmware IMAGE=hr-app
//
// then `arun -g 1 odometer` and `odo` on the console. Built with `-tags
// autostart` (the hr-app-auto image) it starts an odometer at boot
// (autostart.go).
package main

import (
	"github.com/hotrestart/tamago-hr/actors"
	"github.com/hotrestart/tamago-hr/kernel"
	"github.com/hotrestart/tamago-hr/kernel/console"
)

func main() {
	kernel.Main(kernel.Config{
		Programs: func(p *actors.Programs) error {
			opts, err := odometerState(p)
			if err != nil {
				return err
			}
			return p.Register("odometer", Odometer, "counts distance in persistent state: "+odometerSyntax, opts...)
		},
		Commands: []console.Cmd{{Name: "odo", Syntax: "[GID [hold|crash]]", Help: "call the running odometer (of group GID) for its distance; hold: it holds its group; crash: it crashes mid-call",
			MaxArgs: 2, Fn: odo}},
		Autostart: autostart,
	})
}
