package examples

import (
	"errors"

	"github.com/hotrestart/tamago-hr/actors"
)

// Hello is helloRestart (ChorusOS 4.0 guide, Appendix B.2). First run: it
// says hello, bumps a persistent counter and writes through a bad pointer
// (a real data abort). The controller restarts its group; the second run
// finds the counter set, says so, frees its block and exits cleanly, which
// ends the group. The counter is a group block (PM1@GID), so a hello in
// another group, or an earlier one that was killed, never makes a first
// run say "Hello again!". Run as an ordinary actor (no -g) nothing brings
// it back, so it keeps nothing: it says hello and faults.
func (s Set) Hello(ctx *actors.Context) error {
	if !ctx.Restartable() {
		ctx.Printf("Hello world! (ordinary actor: nothing restarts me, so I keep nothing)\n")
		badPointer[4] = 1 // segmentation fault
		return errors.New("hello: survived a bad pointer write")
	}
	counter, err := ctx.AllocateGroup("PM1", 4)
	if err != nil {
		ctx.Printf("Cannot allocate or map the persistent memory block called PM1. Error = %v\n", err)
		return ctx.Exit() // do not loop through restarts on a set-up error
	}
	if le.Uint32(counter) == 0 {
		ctx.Printf("Hello world!\n")
		le.PutUint32(counter, 1)
		badPointer[4] = 1 // segmentation fault
		return errors.New("hello: survived a bad pointer write")
	}
	ctx.Printf("Hello again! I have been restarted.\n")
	if err := ctx.FreeGroup("PM1"); err != nil {
		ctx.Printf("hello: free PM1: %v\n", err)
	}
	return ctx.Exit()
}
