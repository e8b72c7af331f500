package netconsole

import (
	"io"
	"strings"
	"sync"
	"sync/atomic"
	"time"

	"golang.org/x/crypto/ssh"
)

// Hangup ends every live session cleanly before the board goes down (a
// site restart, an upgrade's switch, a reset), so that clients return on
// their own instead of waiting for a connection that will never answer:
// `ssh board restart`, Ansible's `raw: restart` over `-tt` and a master
// connection, `ssh board upgrade < v2.elf`. The kernel gives one to Serve
// (Config.Hangup) and calls Close on its way down.
//
// Each session is told in one line what happens, gets an exit status (RFC
// 4254 §6.10) and is closed, and then its connection: an exec session
// whose command is the one going down (Config.GoesDown) gets 0, its
// command's status; an exec interrupted in the middle of another command
// gets the signal HUP, as a process would; a shell gets 0, a clean logout.
// A script (a shell without a terminal) counts as an exec of the line it
// runs: 0 when that line goes down, else HUP, since its other lines will
// not run.
// Nothing is accepted afterwards.
type Hangup struct {
	mu     sync.Mutex
	live   map[*liveSession]struct{}
	conns  map[ssh.Conn]struct{}
	closed bool
}

// liveSession is one running shell or exec session.
type liveSession struct {
	ch  ssh.Channel
	pty bool // the client has a terminal: lines end in \r\n
	// logOn reports whether an interactive shell (a shell with a
	// terminal) shows the console log (not `log off`); nil for an exec or
	// a script (runBatch), which are told on standard error
	logOn func() bool
	// asked: the session's command takes the board down (TakesBoardDown)
	asked atomic.Bool
	once  sync.Once
}

// sessionOut is an exec's or a script's command output: the way down
// tells it when its command is the one that takes the board down
// (console.Asker), and the hang-up then gives exit status 0.
type sessionOut struct {
	io.Writer
	live *liveSession
}

func (o sessionOut) TakesBoardDown() { o.live.asked.Store(true) }

// NewHangup returns an empty registry.
func NewHangup() *Hangup {
	return &Hangup{live: map[*liveSession]struct{}{}, conns: map[ssh.Conn]struct{}{}}
}

// addConn registers a logged-in connection; false once Close ran.
func (h *Hangup) addConn(c ssh.Conn) bool {
	return track(h, func() map[ssh.Conn]struct{} { return h.conns }, c)
}

func (h *Hangup) dropConn(c ssh.Conn) { untrack(h, func() map[ssh.Conn]struct{} { return h.conns }, c) }

// add registers a session as it starts; false once Close ran.
func (h *Hangup) add(s *liveSession) bool {
	return track(h, func() map[*liveSession]struct{} { return h.live }, s)
}

// drop unregisters a session that ended by itself.
func (h *Hangup) drop(s *liveSession) {
	untrack(h, func() map[*liveSession]struct{} { return h.live }, s)
}

// track adds k to the set h keeps (read under h.mu); false once Close ran.
// A nil Hangup tracks nothing and refuses nothing.
func track[K comparable](h *Hangup, set func() map[K]struct{}, k K) bool {
	if h == nil {
		return true
	}
	h.mu.Lock()
	defer h.mu.Unlock()
	if h.closed {
		return false
	}
	set()[k] = struct{}{}
	return true
}

func untrack[K comparable](h *Hangup, set func() map[K]struct{}, k K) {
	if h == nil {
		return
	}
	h.mu.Lock()
	defer h.mu.Unlock()
	delete(set(), k)
}

// hangupFlush is how long Close lets the last messages and the closes
// reach the clients before the caller hands the board over.
const hangupFlush = 200 * time.Millisecond

// Goodbye is what Close tells the live sessions.
type Goodbye struct {
	// Line says what happens ("hr: site restart: console restart; this
	// session ends"): an exec's standard error gets it, and a HUP exit
	// signal its message.
	Line string
	// Shell is the line an interactive shell that shows the console log
	// gets instead, the log having said what happens ("hr: this session
	// ends"); empty: Line. A shell after `log off` gets Line.
	Shell string
}

// Close tells every live session bye, gives it its exit status, closes
// it and its connection, and refuses every later one. A shell, and the
// exec or script whose command takes the board down (sessionOut), end
// with status 0; every other exec or script with the signal HUP. Clients
// get until hangupFlush to hang up by themselves. It returns after at most
// about hangupFlush and a quarter.
func (h *Hangup) Close(bye Goodbye) {
	h.mu.Lock()
	h.closed = true
	live, conns := h.live, h.conns
	h.live, h.conns = map[*liveSession]struct{}{}, map[ssh.Conn]struct{}{}
	h.mu.Unlock()

	deadline := time.NewTimer(hangupFlush)
	defer deadline.Stop()
	told := make(chan struct{})
	go func() {
		defer close(told)
		for s := range live {
			s.hangup(bye)
		}
	}()
	select {
	case <-told:
	case <-deadline.C:
		return // a stalled client: the board goes down regardless
	}
	// A client told its exit status hangs up by itself; closing its
	// connection under it first makes OpenSSH, if it is still sending its
	// standard input, exit 255 ("Broken pipe") after the very command that
	// took the board down. What has not hung up by the deadline is closed.
	hungUp := make(chan struct{})
	go func() {
		defer close(hungUp)
		for c := range conns {
			_ = c.Wait()
		}
	}()
	select {
	case <-hungUp:
	case <-deadline.C:
	}
	for c := range conns {
		c.Close()
	}
	// let the stack send what the closes queued (TCP FIN included)
	time.Sleep(hangupFlush / 4)
}

// hangup ends one session (once: it may also be ending by itself).
func (s *liveSession) hangup(bye Goodbye) {
	s.once.Do(func() {
		shell := s.logOn != nil
		line := bye.Line
		if shell && bye.Shell != "" && s.logOn() {
			line = bye.Shell
		}
		msg := line + "\n"
		if s.pty {
			msg = strings.ReplaceAll(msg, "\n", "\r\n")
		}
		switch {
		case shell:
			s.ch.Write([]byte("\r\n" + msg))
			s.ch.SendRequest("exit-status", false, ssh.Marshal(struct{ Status uint32 }{0}))
		case s.asked.Load():
			s.ch.Stderr().Write([]byte(msg))
			s.ch.SendRequest("exit-status", false, ssh.Marshal(struct{ Status uint32 }{0}))
		default:
			s.ch.Stderr().Write([]byte(msg))
			s.ch.SendRequest("exit-signal", false, ssh.Marshal(struct {
				Signal     string
				CoreDumped bool
				Message    string
				Lang       string
			}{"HUP", false, line, ""}))
		}
		s.ch.CloseWrite()
		s.ch.Close()
	})
}
