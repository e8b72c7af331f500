package netconsole

import (
	"fmt"
	"net"
	"time"

	"golang.org/x/crypto/ssh"
)

// server is one Serve call's shared state: the SSH configuration and the
// two bounds. Sessions share nothing else.
type server struct {
	cfg      Config
	ssh      *ssh.ServerConfig
	conns    chan struct{} // one token per open connection
	sessions chan struct{} // one token per running session
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
	s := &server{
		cfg:      cfg,
		ssh:      cfg.sshConfig(),
		conns:    make(chan struct{}, cfg.MaxSessions+spareConns),
		sessions: make(chan struct{}, cfg.MaxSessions),
	}
	cfg.Log("ssh: serving the console on %s (%d sessions at most)", l.Addr(), cfg.MaxSessions)
	for {
		c, err := l.Accept()
		if err != nil {
			return fmt.Errorf("netconsole: accept: %w", err)
		}
		select {
		case s.conns <- struct{}{}:
			go s.serveConn(c)
		default:
			cfg.Log("ssh: %s: too many connections, dropped", c.RemoteAddr())
			c.Close()
		}
	}
}

// serveConn runs the handshake under a deadline, then dispatches channels
// until the client goes away.
func (s *server) serveConn(c net.Conn) {
	defer func() { <-s.conns }()
	defer c.Close()

	c.SetDeadline(time.Now().Add(s.cfg.HandshakeTimeout))
	sc, chans, reqs, err := ssh.NewServerConn(c, s.ssh)
	if err != nil {
		s.cfg.Log("ssh: %s: handshake: %v", c.RemoteAddr(), err)
		return
	}
	c.SetDeadline(time.Time{})
	s.cfg.Log("ssh: %s: %q logged in with %s", c.RemoteAddr(), sc.User(), sc.Permissions.Extensions["fp"])

	go ssh.DiscardRequests(reqs) // no global requests: no port forwarding
	for nc := range chans {
		s.openChannel(nc)
	}
	s.cfg.Log("ssh: %s: closed", c.RemoteAddr())
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
		nc.Reject(ssh.ResourceShortage, fmt.Sprintf("console busy: all %d sessions in use, try again later", s.cfg.MaxSessions))
		return
	}
	ch, reqs, err := nc.Accept()
	if err != nil {
		<-s.sessions
		return
	}
	go func() {
		defer func() { <-s.sessions }()
		serveSession(ch, reqs, s.cfg.Shell, s.cfg.Attach)
	}()
}
