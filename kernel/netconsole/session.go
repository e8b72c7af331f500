package netconsole

import (
	"bytes"
	"errors"
	"fmt"
	"io"

	"golang.org/x/crypto/ssh"

	"github.com/hotrestart/tamago-hr/kernel/console"
)

// serveSession answers one session channel's requests (RFC 4254 §6): it
// accepts "pty-req", starts one "shell" or one "exec", and once that ends
// sends "exit-status" and closes the channel. Requests keep being answered
// while the shell runs, because an unread request channel stalls the whole
// SSH connection.
func serveSession(ch ssh.Channel, reqs <-chan *ssh.Request, sh *console.Shell, attach func(io.Writer) func(), h *Hangup) {
	defer func() { go ssh.DiscardRequests(reqs) }()
	defer ch.Close()
	live := &liveSession{ch: ch}
	defer h.drop(live)

	done := make(chan uint32, 1)
	started, pty := false, false
	for {
		select {
		case req, ok := <-reqs:
			if !ok {
				return // the client closed the channel
			}
			ok = false
			switch {
			case req.Type == "pty-req":
				pty, ok = true, true
			case req.Type == "shell" && !started:
				live.pty = pty
				if started, ok = true, h.add(live); ok {
					go func() { done <- runShell(ch, sh, attach) }()
				}
			case req.Type == "exec" && !started:
				var cmd struct{ Command string }
				if ssh.Unmarshal(req.Payload, &cmd) == nil {
					live.pty, live.exec = pty, cmd.Command
					if started, ok = true, h.add(live); ok {
						go func() { done <- runExec(ch, sh, cmd.Command, pty) }()
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

// runShell is an interactive console with its own line editor, subscribed
// to the console log when attach is set.
func runShell(ch ssh.Channel, sh *console.Shell, attach func(io.Writer) func()) uint32 {
	out := newBatchWriter(ch, batchDelay)
	defer out.Flush()
	s := console.NewSession(struct {
		io.Reader
		io.Writer
	}{ch, out})
	if attach != nil {
		defer attach(s.Out())()
	}
	if err := s.Serve(sh); err != nil {
		return 1
	}
	return 0
}

// runExec runs one line, as `ssh host 'pmm ls'` expects: output on stdout,
// an error on stderr and exit status 1.
func runExec(ch ssh.Channel, sh *console.Shell, line string, pty bool) uint32 {
	var out, errOut io.Writer = ch, ch.Stderr()
	if pty {
		// The client's terminal is raw: a bare \n would not return
		// the cursor to the left margin.
		out, errOut = crlfWriter{ch}, crlfWriter{ch.Stderr()}
	}
	if err := sh.Exec(execOut{out, ch}, line); err != nil && !errors.Is(err, console.ErrExit) {
		fmt.Fprintf(errOut, "error: %v\n", err)
		return 1
	}
	return 0
}

// execOut is an exec session's output; its channel's data from the client
// is the command's standard input (console.StdinWriter).
type execOut struct {
	io.Writer
	in io.Reader
}

func (e execOut) Stdin() io.Reader { return e.in }

// crlfWriter turns \n into \r\n.
type crlfWriter struct{ w io.Writer }

func (c crlfWriter) Write(p []byte) (int, error) {
	if _, err := c.w.Write(bytes.ReplaceAll(p, []byte("\n"), []byte("\r\n"))); err != nil {
		return 0, err
	}
	return len(p), nil
}
