package command

import (
	"errors"
	"fmt"
	"io"
	"strconv"

	"github.com/hotrestart/tamago-hr/actors"
	"github.com/hotrestart/tamago-hr/kernel/console"
)

func (c *set) addActorCommands(sh *console.Shell) {
	sh.MustAdd(console.Cmd{Name: "arun", Syntax: "[-g [GID]] PROGRAM [ARGS…]", Help: "run a program: restartable in group GID (default 0) with -g, ordinary without; -g GID -badness N -interval D -backoff MIN-MAX|0 PROGRAM: a new group's own restart policy", MinArgs: 1, MaxArgs: -1, Fn: c.withCtl(c.cmdArun)})
	sh.MustAdd(console.Cmd{Name: "akill", Syntax: "AID | -g GID", Help: "AID: kill = crash, its group restarts; -g: kill the group for good", MinArgs: 1, MaxArgs: 2, Fn: c.withCtl(c.cmdAkill)})
	sh.MustAdd(console.Cmd{Name: "aps", Syntax: "[-json]", Help: "list actors and restart groups", MaxArgs: 1, Fn: c.withCtl(c.cmdAps)})
	sh.MustAdd(console.Cmd{Name: "inject", Syntax: "AID KIND", Help: "make an actor fail: panic error exit hang spin nil undef div0", MinArgs: 2, MaxArgs: 2, Fn: c.withCtl(c.cmdInject)})
	sh.MustAdd(console.Cmd{Name: "programs", Help: "programs built into the image", Fn: c.withCtl(c.cmdPrograms)})
	sh.MustAdd(console.Cmd{Name: "resume", Syntax: "[GID]", Help: "leave safe mode: restart every registered group; GID: restart one held group (safe mode, its policy or its service held it), or one in backoff now", MaxArgs: 1, Fn: c.withCtl(c.cmdResume)})
}

func (c *set) withCtl(fn console.Fn) console.Fn {
	return func(out io.Writer, args []string) error {
		if c.sys.Controller() == nil {
			return errors.New("no controller (bank unusable)")
		}
		return fn(out, args)
	}
}

// parseID reads a non-negative decimal id.
func parseID(what, s string) (int, error) {
	v, err := strconv.Atoi(s)
	if err != nil || v < 0 {
		return 0, fmt.Errorf("%s %s is not a number ≥ 0", what, console.Quote(s))
	}
	return v, nil
}

// cmdArun is `arun [-g [GID]] PROGRAM ARGS…`. As in C_INIT, -g without a
// GID runs in group 0: after -g a word that starts with a digit is the GID
// (program names never do), anything else is the program. The policy
// flags follow the GID (actors.ParsePolicyFlags); they set a new group's
// own restart policy.
func (c *set) cmdArun(out io.Writer, args []string) error {
	ctl := c.sys.Controller()
	gid := -1
	var opts []actors.RunOption
	explicit := false // a GID follows -g
	if args[0] == "-g" {
		if len(args) < 2 {
			return fmt.Errorf("%w: arun [-g [GID]] PROGRAM [ARGS…]", console.ErrUsage)
		}
		gid, args = 0, args[1:]
		if a := args[0]; a[0] >= '0' && a[0] <= '9' || len(a) > 1 && a[0] == '-' && a[1] >= '0' && a[1] <= '9' {
			g, err := parseID("GID", args[0])
			if err != nil {
				return err
			}
			if len(args) < 2 {
				return fmt.Errorf("%w: arun [-g [GID]] PROGRAM [ARGS…]", console.ErrUsage)
			}
			gid, args = g, args[1:]
			explicit = true
		}
		edit, rest, err := actors.ParsePolicyFlags(args)
		if err != nil {
			return fmt.Errorf("arun: %w", err)
		}
		if edit != nil && !explicit {
			return fmt.Errorf("arun: a restart policy needs the group's GID: arun -g GID %s …", args[0])
		}
		if len(rest) == 0 {
			return fmt.Errorf("%w: arun [-g [GID]] PROGRAM [ARGS…]", console.ErrUsage)
		}
		if edit != nil {
			opts = append(opts, actors.RunPolicy(edit))
		}
		args = rest
	}
	if f := args[0]; gid == -1 && (f == "-badness" || f == "-interval" || f == "-backoff") {
		return fmt.Errorf("arun: %s: a restart policy is a group's (arun -g GID %s …)", f, f)
	}
	aid, err := ctl.Run(gid, args[0], args[1:], opts...)
	if err != nil {
		return fmt.Errorf("arun: %w", err)
	}
	fmt.Fprintf(out, "Started aid = %d\n", aid)
	if _, exec := out.(console.StdinWriter); exec {
		// `ssh board 'arun …'` returns as the actor starts: say where
		// what it prints goes
		fmt.Fprintln(out, "its output goes to the console log: the UART, interactive sessions (ssh -t board), dmesg now")
	}
	return nil
}

func (c *set) cmdAkill(out io.Writer, args []string) error {
	ctl := c.sys.Controller()
	if args[0] == "-g" {
		if len(args) != 2 {
			return fmt.Errorf("%w: akill AID | -g GID", console.ErrUsage)
		}
		gid, err := parseID("GID", args[1])
		if err != nil {
			return err
		}
		if err := ctl.KillGroup(gid); err != nil {
			return fmt.Errorf("akill -g: %w", err)
		}
		fmt.Fprintf(out, "group %d killed\n", gid)
		c.sys.GroupKilled(out, gid)
		return nil
	}
	if len(args) != 1 {
		return fmt.Errorf("%w: akill AID | -g GID", console.ErrUsage)
	}
	aid, err := parseID("AID", args[0])
	if err != nil {
		return err
	}
	if err := ctl.Kill(actors.AID(aid)); err != nil {
		return fmt.Errorf("akill: %w", err)
	}
	fmt.Fprintf(out, "aid %d killed\n", aid)
	return nil
}

func (c *set) cmdAps(out io.Writer, args []string) error {
	ctl := c.sys.Controller()
	json, err := console.JSONFlag("aps", args)
	if err != nil {
		return err
	}
	if json {
		return console.WriteLine(out, actors.NewAPSJSON(ctl.Actors(), ctl.Groups()).Line)
	}
	actors.WriteAPS(out, ctl.Actors(), ctl.Groups())
	return nil
}

func (c *set) cmdInject(out io.Writer, args []string) error {
	ctl := c.sys.Controller()
	aid, err := parseID("AID", args[0])
	if err != nil {
		return err
	}
	if err := ctl.Inject(actors.AID(aid), args[1]); err != nil {
		return fmt.Errorf("inject: %w", err)
	}
	fmt.Fprintf(out, "injected %s into aid %d\n", args[1], aid)
	return nil
}

func (c *set) cmdPrograms(out io.Writer, _ []string) error {
	progs := c.sys.Programs()
	for _, n := range progs.Names() {
		fmt.Fprintf(out, "%-10s %s\n", n, progs.Help(n))
	}
	return nil
}

func (c *set) cmdResume(out io.Writer, args []string) error {
	ctl := c.sys.Controller()
	if len(args) == 1 {
		gid, err := parseID("GID", args[0])
		if err != nil {
			return err
		}
		if err := ctl.ResumeGroup(gid); err != nil {
			return fmt.Errorf("resume: %w", err)
		}
		fmt.Fprintf(out, "group %d resumed\n", gid)
		return nil
	}
	return c.sys.LeaveSafeMode(out)
}
