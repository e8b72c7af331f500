package command

import (
	"errors"
	"fmt"
	"io"
	"strings"
	"unicode"
	"unicode/utf8"

	"github.com/hotrestart/tamago-hr/kernel/console"
	"github.com/hotrestart/tamago-hr/kernel/upgrade"
	"github.com/hotrestart/tamago-hr/kernel/upgrade/trusted"
)

// upgradeCmds is the upgrade's commands, over one Upgrader.
type upgradeCmds struct{ u Upgrader }

const upgradeSyntax = "[--drop-ssh] [--drop-signature] [semihost:PATH]"

// version is `version`: the running image's version and board.
func (c upgradeCmds) version(out io.Writer, _ []string) error {
	fmt.Fprintf(out, "%s on %s\n", trusted.Version, c.u.BoardName())
	return nil
}

// upgradeDrops takes the leading --drop-… flags off args: what the operator
// agrees that the new image no longer protects (upgrade.Protections).
func upgradeDrops(args []string) (upgrade.Drops, []string, error) {
	var d upgrade.Drops
	for len(args) > 0 && strings.HasPrefix(args[0], "-") {
		switch args[0] {
		case "--drop-ssh":
			d.SSHConsole = true
		case "--drop-signature":
			d.SignedUpgrades = true
		default:
			return d, nil, fmt.Errorf("%w: upgrade: no flag %s (--drop-ssh, --drop-signature)", console.ErrUsage, console.Quote(args[0]))
		}
		args = args[1:]
	}
	return d, args, nil
}

// upgrade is `upgrade [--drop-…] semihost:PATH`, and `upgrade < image.elf`
// over SSH (the session's standard input).
func (c upgradeCmds) upgrade(out io.Writer, args []string) error {
	drops, args, err := upgradeDrops(args)
	if err != nil {
		return err
	}
	flags := drops != upgrade.Drops{}
	switch {
	case len(args) > 1, flags && len(args) == 1 && !strings.HasPrefix(args[0], "semihost:"):
		return fmt.Errorf("%w: upgrade %s", console.ErrUsage, upgradeSyntax)
	case len(args) == 0:
		in, ok := out.(console.StdinWriter)
		if !ok {
			return fmt.Errorf("%w: upgrade semihost:PATH, or over SSH: upgrade < image.elf", console.ErrUsage)
		}
		return c.u.Upgrade(out, drops, func() ([]byte, error) { return receive(out, in.Stdin(), c.u.ReceiveLimit(), receiveIdle) })
	}
	switch arg := args[0]; {
	case strings.HasPrefix(arg, "semihost:"):
		return c.u.Upgrade(out, drops, func() ([]byte, error) {
			path := strings.TrimPrefix(arg, "semihost:")
			if path == "" {
				return nil, errors.New("semihost: no path")
			}
			if !printable(path) { // the board's errors name the path as given
				return nil, fmt.Errorf("semihost: path %s holds control characters or is not UTF-8", console.Quote(path))
			}
			next := progressStep
			return c.u.ReadHostFile(path, c.u.ReceiveLimit(), semihostChunk, func(done, total int) {
				if done >= next || done == total {
					fmt.Fprintf(out, "upgrade: %d/%d bytes\n", done, total)
					next += progressStep
				}
			})
		})
	}
	return fmt.Errorf("%w: upgrade: %s is not semihost:PATH", console.ErrUsage, console.Quote(args[0]))
}

// commit is `upgrade commit`: a trial ends, the new image is the one kept.
func (c upgradeCmds) commit(out io.Writer, _ []string) error {
	s, err := c.u.CommitUpgrade()
	if err != nil {
		return fmt.Errorf("upgrade: %v", err)
	}
	fmt.Fprintf(out, "upgrade: %s\n", s)
	return nil
}

// status is `upgrade status [-json]`.
func (c upgradeCmds) status(out io.Writer, args []string) error {
	json, err := console.JSONFlag("upgrade status", args)
	if err != nil {
		return err
	}
	s := c.u.UpgradeStatus()
	if json {
		return console.WriteLine(out, s.JSON().Line)
	}
	writeUpgradeStatus(out, s)
	return nil
}

// writeUpgradeStatus prints s as text: the running version, the staged
// ones, the security floor and the state, and in a trial each group it
// watches.
func writeUpgradeStatus(out io.Writer, s UpgradeStatus) {
	fmt.Fprintf(out, "running: %s\n", s.Running)
	for _, slot := range []struct {
		name, version string
		err           error
	}{{"staged new", s.StagedNew, s.StagedNewErr}, {"staged previous", s.StagedPrev, s.StagedPrevErr}} {
		v := slot.version
		if slot.err != nil {
			v = "(" + slot.err.Error() + ")"
		}
		fmt.Fprintf(out, "%s: %s\n", slot.name, v)
	}
	fmt.Fprintf(out, "security version: %d; lowest accepted: %d (highest committed on this board)\n", s.Security, s.Floor)
	fmt.Fprintf(out, "state: %s", s.State)
	if s.State.Phase == upgrade.Trial {
		fmt.Fprintf(out, ", %d of %d ms", min(s.RunMs, s.LimitMs), s.LimitMs)
	}
	fmt.Fprintln(out)
	if s.State.Phase == upgrade.Trial {
		for _, g := range s.State.Groups {
			fmt.Fprintf(out, "  %s\n", upgrade.HealthLine(int(g), s.Health))
		}
	}
}

// printable reports whether s is valid UTF-8 without control characters:
// a name the console may print as it is.
func printable(s string) bool {
	if !utf8.ValidString(s) {
		return false
	}
	for _, r := range s {
		if unicode.IsControl(r) {
			return false
		}
	}
	return true
}
