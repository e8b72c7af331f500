package console

import (
	"errors"
	"fmt"
	"io"

	"golang.org/x/term"
)

// Prompt is printed before every line.
const Prompt = "hr> "

// ErrExit, returned by a command, ends the session that ran it.
var ErrExit = errors.New("session ends")

// Session is one interactive console on rw. Out is safe to write from any
// goroutine while the session waits for input: x/term redraws the prompt.
type Session struct {
	t *term.Terminal
}

// NewSession wraps rw in its own line-editing terminal.
func NewSession(rw io.ReadWriter) *Session {
	in := struct {
		io.Reader
		io.Writer
	}{&utf8Filter{r: rw}, rw}
	return &Session{t: term.NewTerminal(in, Prompt)}
}

// Out returns the session's output writer (turns \n into \r\n).
func (ss *Session) Out() io.Writer { return ss.t }

// Serve reads lines until rw ends or a command returns ErrExit, running each
// through sh and reporting errors as one "error: …" line.
func (ss *Session) Serve(sh *Shell) error {
	for {
		line, err := ss.t.ReadLine()
		if err != nil {
			if errors.Is(err, io.EOF) {
				return nil
			}
			return err
		}
		if err := sh.Exec(ss.t, line); err != nil {
			if errors.Is(err, ErrExit) {
				return nil
			}
			fmt.Fprintf(ss.t, "error: %v\n", err)
		}
	}
}
