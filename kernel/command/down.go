package command

import (
	"fmt"
	"io"
	"strconv"

	"github.com/hotrestart/tamago-hr/kernel/console"
	"github.com/hotrestart/tamago-hr/kernel/trap"
)

// The commands that take the board down, each through Machine.GoDown (the
// one way down, kernel/down.go), and crash, which fails the console
// goroutine itself.

func addDownCommands(sh *console.Shell, m Machine) {
	sh.MustAdd(console.Cmd{Name: "restart", Help: "site restart: all groups come back, the bank is kept", Fn: func(out io.Writer, _ []string) error {
		return m.GoDown(SiteAsked, "console restart", 0, out)
	}})
	sh.MustAdd(console.Cmd{Name: "shutdown", Syntax: "-i 0|1", Help: "-i 0: stop and reboot cold; -i 1: site restart", MinArgs: 2, MaxArgs: 2, Fn: func(out io.Writer, args []string) error {
		return shutdown(m, out, args)
	}})
	sh.MustAdd(console.Cmd{Name: "reboot", Help: "cold reboot: the bank is discarded", Fn: func(out io.Writer, _ []string) error {
		return m.GoDown(Reboot, "console reboot", 0, out)
	}})
	sh.MustAdd(console.Cmd{Name: "reset", Help: "raw warm reset (no shutdown), the bank is kept", Fn: func(out io.Writer, _ []string) error {
		return m.GoDown(Reset, "console reset", 0, out)
	}})
	sh.MustAdd(console.Cmd{Name: "halt", Syntax: "[CODE]", Help: "stop; under QEMU exit with CODE (default 0)", MaxArgs: 1, Fn: func(out io.Writer, args []string) error {
		return halt(m, out, args)
	}})
	sh.MustAdd(console.Cmd{Name: "crash", Syntax: "panic|nil|undef|site", Help: "fail the console goroutine itself (outside any actor): a site restart follows; site: an automatic hot one, as a controller escalation", MinArgs: 1, MaxArgs: 1,
		Fn: func(out io.Writer, args []string) error { return crash(m, out, args[0]) }})
}

// shutdown is `shutdown -i 0|1`: run level 0 reboots cold, 1 restarts the
// site.
func shutdown(m Machine, out io.Writer, args []string) error {
	if args[0] != "-i" {
		return fmt.Errorf("%w: shutdown -i 0|1", console.ErrUsage)
	}
	switch args[1] {
	case "0":
		return m.GoDown(Reboot, "console reboot", 0, out)
	case "1":
		return m.GoDown(SiteAsked, "console shutdown -i 1", 0, out)
	}
	return fmt.Errorf("shutdown: run level %s not supported (0 reboot, 1 site restart)", console.Quote(args[1]))
}

// halt is `halt [CODE]`: CODE 0…255, QEMU's exit status.
func halt(m Machine, out io.Writer, args []string) error {
	code := 0
	if len(args) == 1 {
		c, err := strconv.Atoi(args[0])
		if err != nil || c < 0 || c > 255 || args[0][0] == '+' {
			return fmt.Errorf("halt: code %s is not 0…255", console.Quote(args[0]))
		}
		code = c
	}
	return m.GoDown(Halt, "console halt", code, out)
}

// badSystemPointer is never allocated (page 0 is unmapped): `crash nil`
// writes through it.
var badSystemPointer *[8]uint32

// crash fails the console goroutine, outside any actor, in the way kind
// names: a panic, a nil pointer write (a data abort), an undefined
// instruction (kernel/trap) or, for site, an automatic site restart.
func crash(m Machine, out io.Writer, kind string) error {
	switch kind {
	case "panic":
		panic("crash: panic in the console goroutine")
	case "nil":
		badSystemPointer[1] = 1
	case "undef":
		trap.UndefinedInstruction()
	case "site":
		return m.GoDown(SiteAuto, "crash site", 0, out)
	}
	return fmt.Errorf("crash: unknown kind %s (panic|nil|undef|site)", console.Quote(kind))
}
