package netconsole

import (
	"fmt"
	"net"
	"time"

	"golang.org/x/crypto/ssh"
)

// server is one Serve call's shared state: the SSH configuration and the
// three bounds. Sessions share nothing else.
type server struct {
	cfg      Config
	ssh      *ssh.ServerConfig
	fails    *burstLog     // refused logins and dropped connections
	waiting  *startups     // connections not logged in yet
	conns    chan struct{} // one token per logged-in connection
	sessions chan struct{} // one token per running session
	refusing chan struct{} // one token per connection being refused (refuse)
}

// Serve accepts SSH connections on l until l fails (for instance because it
// was closed) and returns that error. It returns at once, without accepting,
// when cfg is unusable: no shell, no host key or no authorized key.
// Connections already accepted live on after Serve returns.
func Serve(l net.Listener, cfg Config) error {
	cfg, err := cfg.check()
	if err != nil {
		return err
	}
	fails := newBurstLog(cfg.Log, burstWindow)
	s := &server{
		cfg:      cfg,
		ssh:      cfg.sshConfig(fails),
		fails:    fails,
		waiting:  newStartups(cfg.MaxStartups, cfg.speakWithin),
		conns:    make(chan struct{}, cfg.MaxSessions+spareConns),
		sessions: make(chan struct{}, cfg.MaxSessions),
		refusing: make(chan struct{}, cfg.MaxStartups),
	}
	cfg.Log("ssh: serving the console on %s (%d sessions, %d waiting for login at most, %v to log in)",
		l.Addr(), cfg.MaxSessions, cfg.MaxStartups, cfg.LoginGrace)
	for {
		c, err := l.Accept()
		if err != nil {
			return fmt.Errorf("netconsole: accept: %w", err)
		}
		w, victim := s.waiting.admit(c)
		if victim != nil {
			s.fails.logf("ssh: %s: %d connections waiting for login, dropped the one from %s that waited longest",
				w.from, cfg.MaxStartups, victim.from)
			victim.Close()
		}
		go s.serveConn(w)
	}
}

// serveConn runs the handshake within the login grace time, then
// dispatches channels until the client goes away.
func (s *server) serveConn(c *startup) {
	defer c.Close()

	c.SetDeadline(time.Now().Add(s.cfg.LoginGrace))
	sc, chans, reqs, err := ssh.NewServerConn(c, s.ssh)
	if s.waiting.done(c) {
		return // logged when it was evicted
	}
	if err != nil {
		s.fails.logf("ssh: %s: handshake: %v", c.from, err)
		return
	}
	c.SetDeadline(time.Time{})
	if !s.cfg.Hangup.addConn(sc) {
		sc.Close() // the board is going down
		return
	}
	defer s.cfg.Hangup.dropConn(sc)
	select {
	case s.conns <- struct{}{}:
		defer func() { <-s.conns }()
	default:
		s.cfg.Log("ssh: %s: %q logged in, but %d connections are open already: refused", c.from, sc.User(), cap(s.conns))
		s.refuse(sc, chans, reqs)
		return
	}
	s.cfg.Log("ssh: %s: %q logged in with %s", c.from, sc.User(), sc.Permissions.Extensions["fp"])

	go ssh.DiscardRequests(reqs) // no global requests: no port forwarding
	for nc := range chans {
		s.openChannel(nc)
	}
	s.cfg.Log("ssh: %s: closed", c.from)
}

// refuseWithin is how long a connection refused after its login may take
// to ask for its session, which is then refused with the reason.
const refuseWithin = 2 * time.Second

// refuse tells a logged-in connection the console is busy, as the client
// asks for its session (OpenSSH prints "channel 0: open failed: resource
// shortage: console busy: …"), then closes it. At most MaxStartups are
// told at a time; past that, one is closed at once, so that refusals cost
// the board bounded memory.
func (s *server) refuse(sc *ssh.ServerConn, chans <-chan ssh.NewChannel, reqs <-chan *ssh.Request) {
	defer sc.Close()
	select {
	case s.refusing <- struct{}{}:
		defer func() { <-s.refusing }()
	default:
		return
	}
	go ssh.DiscardRequests(reqs)
	t := time.NewTimer(refuseWithin)
	defer t.Stop()
	select {
	case nc, ok := <-chans:
		if ok {
			nc.Reject(ssh.ResourceShortage, s.busy())
		}
	case <-t.C:
	}
}

// busy is the reason a client is refused a session.
func (s *server) busy() string {
	return fmt.Sprintf("console busy: all %d sessions in use, try again later", s.cfg.MaxSessions)
}

// openChannel accepts a session channel if a session slot is free; a full
// console answers "resource shortage" with a message the client shows.
func (s *server) openChannel(nc ssh.NewChannel) {
	if nc.ChannelType() != "session" {
		nc.Reject(ssh.UnknownChannelType, "only session channels are served")
		return
	}
	select {
	case s.sessions <- struct{}{}:
	default:
		nc.Reject(ssh.ResourceShortage, s.busy())
		return
	}
	ch, reqs, err := nc.Accept()
	if err != nil {
		<-s.sessions
		return
	}
	go func() {
		defer func() { <-s.sessions }()
		serveSession(ch, reqs, s.cfg.Shell, s.cfg.Attach, s.cfg.Hangup)
	}()
}
