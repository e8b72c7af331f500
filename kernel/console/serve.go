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
// goroutine, whatever the session is doing (logGate).
type Session struct {
	t      *term.Terminal
	keys   *keyFilter
	gate   *logGate
	serial bool
	lines  int // lines read, refused or interrupted: the session's progress
}

// NewSession wraps rw in its own line-editing terminal for a network
// session: Ctrl-D on an empty line ends it.
func NewSession(rw io.ReadWriter) *Session { return newSession(rw, false) }

// NewSerialSession is NewSession for a serial line, where there is no
// session to end: Ctrl-D does nothing.
func NewSerialSession(rw io.ReadWriter) *Session { return newSession(rw, true) }

func newSession(rw io.ReadWriter, serial bool) *Session {
	keys := newKeyFilter(rw, serial)
	in := struct {
		io.Reader
		io.Writer
	}{&utf8Filter{r: keys}, rw}
	t := term.NewTerminal(in, Prompt)
	keys.gate = newLogGate(t, rw, Prompt)
	return &Session{t: t, keys: keys, gate: keys.gate, serial: serial}
}

// Out returns the writer for the session's background messages (the
// console log; turns \n into \r\n): it leaves an untouched prompt alone
// and drops everything after `log off` (logGate).
func (ss *Session) Out() io.Writer { return ss.gate }

// LogOn reports whether the session shows its background messages: false
// after `log off`.
func (ss *Session) LogOn() bool { return ss.gate.logOn() }

// SetSize sets the terminal's size in columns and rows (an SSH client's
// pty request and window changes), so that long lines wrap and are
// redrawn where the terminal wraps them. The default is 80 columns.
func (ss *Session) SetSize(cols, rows int) { ss.t.SetSize(cols, rows) }

// Interactive is what a command's output is in an interactive session,
// for the commands that act on the session itself (`log`, `exit`).
type Interactive interface {
	io.Writer
	SetLog(on bool) // the session's background messages on or off
	Serial() bool   // the serial console: no session to end
}

// cmdOut is a command's output in an interactive session.
type cmdOut struct {
	io.Writer
	ss *Session
}

func (c cmdOut) SetLog(on bool) { c.ss.gate.setLog(on) }
func (c cmdOut) Serial() bool   { return c.ss.serial }

// Lines counts the lines this session has consumed (run, refused or
// interrupted); a caller that serves it again sees whether it progressed.
func (ss *Session) Lines() int { return ss.lines }

// ErrLineTooLong refuses a line longer than MaxLine bytes, whole.
var ErrLineTooLong = errors.New("line too long")

// ErrLineLost refuses, whole, a line that lost characters on the way in:
// input faster than the console took it (the UART's overrun count, in
// stats, says so), a garbled character, or the rest of a line begun while
// a restart ran.
var ErrLineLost = errors.New("line not run: characters of it were lost (typed during a restart, or a UART overrun: see stats)")

// Serve reads lines until rw ends or a command returns ErrExit, running each
// through sh and reporting errors as one "error: …" line. Ctrl-C discards
// the line being typed; a line over MaxLine bytes is refused whole.
func (ss *Session) Serve(sh *Shell) error {
	defer ss.gate.setReading(false)
	for {
		ss.gate.setReading(true)
		line, err := ss.t.ReadLine()
		ss.gate.setReading(false)
		if v := ss.keys.take(); v != nil {
			ss.lines++
			switch {
			case v.tooLong > 0:
				fmt.Fprintf(ss.t, "error: %v (%d bytes, at most %d)\n", ErrLineTooLong, v.tooLong, MaxLine)
			case v.lost:
				fmt.Fprintf(ss.t, "error: %v\n", ErrLineLost)
			}
			continue
		}
		if err != nil {
			if errors.Is(err, io.EOF) {
				return nil
			}
			return err
		}
		ss.lines++
		if err := sh.Exec(cmdOut{ss.t, ss}, line); err != nil {
			if errors.Is(err, ErrExit) {
				return nil
			}
			fmt.Fprintf(ss.t, "error: %v\n", err)
		}
	}
}

// ServeForever serves the session for ever, for a console that has no
// session to end (the UART). A Serve that returns without consuming a line
// cannot make progress (a terminal that keeps failing or ending): before
// serving again it calls pause (a sleep on the target, so the watchdog's
// goroutine runs), and it says so once on report until a line gets through.
func (ss *Session) ServeForever(sh *Shell, report io.Writer, pause func()) {
	stalled := false
	for {
		n := ss.lines
		err := ss.Serve(sh)
		why := "session ended"
		if err != nil {
			why = err.Error()
		}
		if ss.lines != n {
			stalled = false
			if err != nil {
				fmt.Fprintf(report, "hr: console: %s\n", why)
			}
			continue
		}
		if !stalled {
			fmt.Fprintf(report, "hr: console: no progress (%s); pausing between attempts\n", why)
			stalled = true
		}
		pause()
	}
}
