package netconsole

import (
	"bufio"
	"bytes"
	"errors"
	"fmt"
	"io"
	"strings"
	"sync"

	"golang.org/x/crypto/ssh"

	"github.com/hotrestart/tamago-hr/kernel/console"
)

// serveSession answers one session channel's requests (RFC 4254 §6): it
// accepts "pty-req" (its size is the terminal's) and "window-change",
// starts one "shell" or one "exec", and once that ends
// sends "exit-status" and closes the channel. Requests keep being answered
// while the shell runs, because an unread request channel stalls the whole
// SSH connection.
func serveSession(ch ssh.Channel, reqs <-chan *ssh.Request, sh *console.Shell, attach func(io.Writer) func(), h *Hangup) {
	defer func() { go ssh.DiscardRequests(reqs) }()
	defer ch.Close()
	live := &liveSession{ch: ch}
	defer h.drop(live)

	done := make(chan uint32, 1)
	stop := newInterrupt() // the client left, or typed Ctrl-C on a pty exec
	defer stop.fire()
	started := false
	var pty *ptySize          // the pty request's size; nil: no terminal
	var term *console.Session // the interactive shell, once started
	for {
		select {
		case req, ok := <-reqs:
			if !ok {
				return // the client closed the channel
			}
			ok = false
			switch {
			case req.Type == "pty-req":
				var r ptyRequest
				if ok = ssh.Unmarshal(req.Payload, &r) == nil; ok {
					pty = &ptySize{Cols: r.Cols, Rows: r.Rows}
				}
			case req.Type == "window-change" && term != nil:
				var r ptySize
				if ok = ssh.Unmarshal(req.Payload, &r) == nil; ok {
					term.SetSize(r.size())
				}
			case req.Type == "shell" && !started:
				live.pty = pty != nil
				var out *batchWriter
				if pty != nil { // the terminal before the hang-up can see the session
					out = newBatchWriter(ch, batchDelay)
					term = console.NewSession(struct {
						io.Reader
						io.Writer
					}{ch, out})
					term.SetSize(pty.size())
					live.logOn = term.LogOn
				}
				if started, ok = true, h.add(live); ok {
					if pty == nil {
						go func() { done <- runBatch(ch, sessionOut{ch, live}, sh) }()
						break
					}
					go func() { done <- runShell(term, out, sh, attach) }()
				}
			case req.Type == "exec" && !started:
				var cmd struct{ Command string }
				if ssh.Unmarshal(req.Payload, &cmd) == nil {
					live.pty = pty != nil
					if started, ok = true, h.add(live); ok {
						go func() { done <- runExec(ch, live, sh, cmd.Command, pty != nil, stop) }()
					}
				}
			}
			if req.WantReply {
				req.Reply(ok, nil)
			}
		case status := <-done:
			live.once.Do(func() { // unless a hang-up ended it first
				ch.SendRequest("exit-status", false, ssh.Marshal(struct{ Status uint32 }{status}))
			})
			return
		}
	}
}

// ptyRequest is a "pty-req" payload (RFC 4254 §6.2).
type ptyRequest struct {
	Term       string
	Cols, Rows uint32
	WidthPx    uint32
	HeightPx   uint32
	Modes      string
}

// ptySize is a terminal's size in characters; as a "window-change"
// payload (RFC 4254 §6.7) the pixel sizes follow, ignored.
type ptySize struct {
	Cols, Rows uint32
	Rest       []byte `ssh:"rest"`
}

// size is the terminal's size for x/term: a 0 (the client does not say)
// or an absurd value gives the defaults, 80 columns by 24 rows.
func (p ptySize) size() (cols, rows int) {
	cols, rows = 80, 24
	if p.Cols > 0 && p.Cols <= maxTermSize {
		cols = int(p.Cols)
	}
	if p.Rows > 0 && p.Rows <= maxTermSize {
		rows = int(p.Rows)
	}
	return cols, rows
}

// maxTermSize bounds a terminal's columns and rows: x/term allocates per
// column when it redraws.
const maxTermSize = 1000

// runShell serves an interactive console (its own line editor, on a
// terminal) with output out, subscribed to the console log when attach
// is set.
func runShell(s *console.Session, out *batchWriter, sh *console.Shell, attach func(io.Writer) func()) uint32 {
	defer out.Flush()
	if attach != nil {
		defer attach(s.Out())()
	}
	if err := s.Serve(sh); err != nil {
		return 1
	}
	return 0
}

// runBatch serves a shell session without a terminal, the input of
// `printf 'aps\nbogus\n' | ssh board` or `ssh board < script`, as sh
// runs a script: no prompt, no echo, no log, each line run in turn, and
// the first failing one ends the session with its error on stderr and
// status 1; status 0 when all ran. The lines' output goes to out (ch's,
// as a sessionOut).
func runBatch(ch ssh.Channel, out io.Writer, sh *console.Shell) uint32 {
	lines := bufio.NewScanner(ch)
	lines.Buffer(make([]byte, 0, 512), console.MaxLine+1)
	n := 1
	for ; lines.Scan(); n++ {
		line := strings.TrimSuffix(lines.Text(), "\r")
		err := sh.Exec(out, line)
		if err != nil {
			if errors.Is(err, console.ErrExit) {
				return 0
			}
			fmt.Fprintf(ch.Stderr(), "error: line %d: %v\n", n, err)
			return 1
		}
	}
	if err := lines.Err(); err != nil {
		if errors.Is(err, bufio.ErrTooLong) {
			err = fmt.Errorf("%w (at most %d bytes)", console.ErrLineTooLong, console.MaxLine)
		}
		fmt.Fprintf(ch.Stderr(), "error: line %d: %v\n", n, err)
		return 1
	}
	return 0
}

// runExec runs one line, as `ssh host 'pmm ls'` expects: output on stdout,
// an error on stderr and exit status 1.
func runExec(ch ssh.Channel, live *liveSession, sh *console.Shell, line string, pty bool, stop *interrupt) uint32 {
	var out, errOut io.Writer = ch, ch.Stderr()
	if pty {
		// The client's terminal is raw: a bare \n would not return
		// the cursor to the left margin.
		out, errOut = crlfWriter{ch}, crlfWriter{ch.Stderr()}
	}
	if len(line) > console.MaxLine { // refused whole, as on the UART and in a script
		fmt.Fprintf(errOut, "error: %v (%d bytes, at most %d)\n", console.ErrLineTooLong, len(line), console.MaxLine)
		return 1
	}
	var in io.Reader = ch
	if pty {
		in = ttyStdin{}
		go stop.onCtrlC(ch)
	}
	if err := sh.Exec(execOut{sessionOut{out, live}, in, stop.c}, line); err != nil && !errors.Is(err, console.ErrExit) {
		fmt.Fprintf(errOut, "error: %v\n", err)
		return 1
	}
	return 0
}

// execOut is an exec session's output; its channel's data from the client
// is the command's standard input (console.StdinWriter).
type execOut struct {
	sessionOut
	in   io.Reader
	stop <-chan struct{}
}

func (e execOut) Stdin() io.Reader             { return e.in }
func (e execOut) Interrupted() <-chan struct{} { return e.stop }

// interrupt is closed once: the exec's client closed its channel (or its
// connection), or typed Ctrl-C on its terminal (console.Interrupter).
type interrupt struct {
	c    chan struct{}
	once sync.Once
}

func newInterrupt() *interrupt { return &interrupt{c: make(chan struct{})} }

func (i *interrupt) fire() { i.once.Do(func() { close(i.c) }) }

// onCtrlC reads a pty exec's keys (nothing else reads them: its stdin is
// refused as a stream) and fires at the first Ctrl-C, as a terminal's
// interrupt key signals a process.
func (i *interrupt) onCtrlC(r io.Reader) {
	buf := make([]byte, 64)
	for {
		n, err := r.Read(buf)
		if bytes.IndexByte(buf[:n], 0x03) >= 0 {
			i.fire()
			return
		}
		if err != nil {
			return
		}
	}
}

// ErrTerminalStdin refuses a stream read from a terminal: with `ssh -t`
// the client sends keystrokes (a Ctrl-C is a byte like any other), never
// an image, so a command that reads a stream stops at once.
var ErrTerminalStdin = errors.New("standard input is a terminal (ssh -t), not a file: run it without -t, e.g. ssh board upgrade < image.elf")

// ttyStdin is an exec session's input when it has a terminal.
type ttyStdin struct{}

func (ttyStdin) Read([]byte) (int, error) { return 0, ErrTerminalStdin }

// crlfWriter turns \n into \r\n.
type crlfWriter struct{ w io.Writer }

func (c crlfWriter) Write(p []byte) (int, error) {
	if _, err := c.w.Write(bytes.ReplaceAll(p, []byte("\n"), []byte("\r\n"))); err != nil {
		return 0, err
	}
	return len(p), nil
}
