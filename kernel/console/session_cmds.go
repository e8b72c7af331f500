package console

import (
	"errors"
	"fmt"
	"io"
)

// addSessionCmds registers the commands that act on the session that runs
// them: `exit` and `logout` end it, as in a shell; `log off|on` stops and
// resumes its background messages (what actors print, the controller's
// lines), so that a script reads only its commands' answers.
func (s *Shell) addSessionCmds() {
	end := func(out io.Writer, _ []string) error {
		if i, ok := out.(Interactive); ok && i.Serial() {
			return errors.New("the serial console has no session to end")
		}
		return ErrExit
	}
	s.MustAdd(Cmd{Name: "exit", Help: "end this session (as logout)", Fn: end})
	s.MustAdd(Cmd{Name: "logout", Help: "end this session (as exit)", Fn: end})
	s.MustAdd(Cmd{Name: "log", Syntax: "off|on", Help: "this session's log of actor and system lines", MinArgs: 1, MaxArgs: 1,
		Fn: func(out io.Writer, args []string) error {
			on := args[0] == "on"
			if !on && args[0] != "off" {
				return fmt.Errorf("%w: log off|on, not %s", ErrUsage, Quote(args[0]))
			}
			i, ok := out.(Interactive)
			if !ok {
				return errors.New("log: only an interactive session has a log (an exec session shows its command's output only)")
			}
			i.SetLog(on)
			if on {
				fmt.Fprintln(out, "log on: this session shows actor and system lines")
			} else {
				fmt.Fprintln(out, "log off: this session shows only the answers to its commands (log on: back)")
			}
			return nil
		}})
}
