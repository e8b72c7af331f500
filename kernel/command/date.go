package command

import (
	"errors"
	"fmt"
	"io"
	"strings"

	"github.com/hotrestart/tamago-hr/kernel/console"
	"github.com/hotrestart/tamago-hr/kernel/wallclock"
)

func addDateCommands(sh *console.Shell, m Machine) {
	sh.MustAdd(console.Cmd{Name: "date", Help: "the date and time (UTC) and where they come from", Fn: func(out io.Writer, _ []string) error {
		fmt.Fprintln(out, m.Clock())
		return nil
	}})
	sh.MustAdd(console.Cmd{Name: "date set", Syntax: "DATE", Help: "set the clock (2026-12-03T10:00:00Z, or 2026-12-03 10:00:00 in UTC); the site restarts to apply it",
		MinArgs: 1, MaxArgs: 2, Fn: func(out io.Writer, args []string) error { return dateSet(m, out, args) }})
}

// dateSet sets the date through a site restart (Machine.SetDate): refused
// from the startup script, which would restart the site at every boot,
// and for a date wallclock.Parse refuses. It says, before the site
// restarts, where the date goes. What the machine refuses before that is
// date set's own error; what comes after (another way down under way) is
// the way down's, as every command that goes down returns it.
func dateSet(m Machine, out io.Writer, args []string) error {
	if FromScript(out) {
		return errors.New("date set: not from the startup script (it would restart the site at every boot)")
	}
	t, err := wallclock.Parse(strings.Join(args, " "))
	if err != nil {
		return fmt.Errorf("date set: %w", err)
	}
	said := false
	err = m.SetDate(t, out, func(how string) {
		said = true
		fmt.Fprintf(out, "date: clock set to %s (%s); the site restarts so that every timer runs on it\n", wallclock.Format(t), how)
	})
	if err != nil && !said {
		return fmt.Errorf("date set: %w", err)
	}
	return err
}
