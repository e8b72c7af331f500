package kernel

import (
	"fmt"
	"io"

	"github.com/hotrestart/tamago-hr/kernel/bootrec"
	"github.com/hotrestart/tamago-hr/kernel/console"
	"github.com/hotrestart/tamago-hr/kernel/trap"
)

// UndefinedInstruction executes an undefined instruction (ARM ARM A8.8.247
// UDF): in an actor it becomes a *Fault panic of that actor, which its group
// restart handles; anywhere else it restarts the site.
func UndefinedInstruction() { trap.UndefinedInstruction() }

// badSystemPointer is never allocated (page 0 is unmapped).
var badSystemPointer *[8]uint32

func (k *system) addCrashCommand() {
	k.shell.MustAdd(console.Cmd{Name: "crash", Syntax: "panic|nil|undef|site", Help: "fail the console goroutine itself (outside any actor): a site restart follows; site: an automatic hot one, as a controller escalation", MinArgs: 1, MaxArgs: 1,
		Fn: func(out io.Writer, args []string) error {
			switch args[0] {
			case "panic":
				panic("crash: panic in the console goroutine")
			case "nil":
				badSystemPointer[1] = 1
			case "undef":
				trap.UndefinedInstruction()
			case "site":
				return k.siteRestart(bootrec.SiteAuto, "crash site", fromScript(out))
			}
			return fmt.Errorf("crash: unknown kind %s (panic|nil|undef|site)", console.Quote(args[0]))
		}})
}
