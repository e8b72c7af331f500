// Command myfirmware is a firmware image of its own, outside the tamago-hr
// module: the hot restart kernel with one service, `odometer`, whose
// distance is typed persistent state, and one console command, `odo`, that
// asks the running service for it. Build and boot it from the tamago-hr
// checkout:
//
//	make image APP=qemu/testdata/myfirmware IMAGE=hr-app
//	make qemu APP=qemu/testdata/myfirmware IMAGE=hr-app
//
// then `arun -g 1 odometer` and `odo` on the console.
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
		Commands: []console.Cmd{{Name: "odo", Syntax: "[GID]", Help: "ask the running odometer (of group GID) for its distance",
			MaxArgs: 1, Fn: odo}},
	})
}
