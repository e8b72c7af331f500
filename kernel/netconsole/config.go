package netconsole

import (
	"errors"
	"io"
	"time"

	"golang.org/x/crypto/ssh"

	"github.com/hotrestart/tamago-hr/kernel/console"
)

// Defaults for the zero values of Config's limits.
const (
	DefaultMaxSessions = 4
	DefaultMaxStartups = 8
	DefaultLoginGrace  = 10 * time.Second
)

// spareConns is how many logged-in connections beyond MaxSessions may stay
// open, so that a client arriving at a full console is told "busy" instead
// of seeing its connection drop; past that, a connection is told the same
// as it asks for its session and closed at once (server.refuse), so that
// not even key holders can exhaust the board's memory.
const spareConns = 2

// Config is what Serve needs. Shell, HostKey and at least one authorized key
// are required.
type Config struct {
	Shell          *console.Shell
	HostKey        ssh.Signer
	AuthorizedKeys []ssh.PublicKey
	// MaxSessions bounds concurrent shell/exec sessions over all
	// connections (DefaultMaxSessions when 0).
	MaxSessions int
	// MaxStartups bounds the connections that have not logged in yet, apart
	// from the sessions (DefaultMaxStartups when 0). A new connection
	// beyond it evicts a waiting one (startups.go), it is never refused.
	MaxStartups int
	// LoginGrace bounds key exchange plus authentication, so an idle or
	// slow peer cannot hold its place for long (DefaultLoginGrace when 0;
	// the firmware's is the tunable netcons.loginGrace).
	LoginGrace time.Duration
	// Log receives one line per connection event; nil discards them.
	Log func(format string, args ...any)
	// Attach, when set, subscribes each interactive session's output to
	// the system's console log (console.Log.Attach), so what actors print
	// reaches SSH operators too; the session detaches when it ends.
	Attach func(w io.Writer) (detach func())
	// Hangup, when set, registers every session and connection so that
	// the board can end them cleanly before it goes down (Hangup.Close).
	Hangup *Hangup

	speakWithin time.Duration // startups.go; tests shorten it
}

// check validates cfg and fills in defaults.
func (cfg Config) check() (Config, error) {
	switch {
	case cfg.Shell == nil:
		return cfg, errors.New("netconsole: no shell")
	case cfg.HostKey == nil:
		return cfg, errors.New("netconsole: no host key")
	case len(newKeySet(cfg.AuthorizedKeys)) == 0:
		return cfg, ErrNoAuthorizedKeys
	case cfg.MaxSessions < 0:
		return cfg, errors.New("netconsole: negative MaxSessions")
	case cfg.MaxStartups < 0:
		return cfg, errors.New("netconsole: negative MaxStartups")
	}
	if cfg.MaxSessions == 0 {
		cfg.MaxSessions = DefaultMaxSessions
	}
	if cfg.MaxStartups == 0 {
		cfg.MaxStartups = DefaultMaxStartups
	}
	if cfg.speakWithin == 0 {
		cfg.speakWithin = speakWithin
	}
	if cfg.LoginGrace <= 0 {
		cfg.LoginGrace = DefaultLoginGrace
	}
	if cfg.Log == nil {
		cfg.Log = func(string, ...any) {}
	}
	return cfg, nil
}

// sshConfig builds the server side: public keys from the authorized set and
// no other method. PasswordCallback and KeyboardInteractiveCallback stay nil
// and NoClientAuth false, which is what makes x/crypto/ssh refuse those
// methods. Refused logins go to fails, one line per burst.
func (cfg Config) sshConfig(fails *burstLog) *ssh.ServerConfig {
	allowed := newKeySet(cfg.AuthorizedKeys)
	sc := &ssh.ServerConfig{
		PublicKeyCallback: func(_ ssh.ConnMetadata, key ssh.PublicKey) (*ssh.Permissions, error) {
			if !allowed.has(key) {
				return nil, errors.New("key not authorized")
			}
			// Recorded here because the callback may see keys the
			// client never proves; the connection's Permissions are
			// those of the key that did authenticate.
			return &ssh.Permissions{Extensions: map[string]string{"fp": ssh.FingerprintSHA256(key)}}, nil
		},
		AuthLogCallback: func(c ssh.ConnMetadata, method string, err error) {
			if err != nil && method != "none" {
				fails.logf("ssh: %s: %s auth as %q refused: %v", c.RemoteAddr(), method, c.User(), err)
			}
		},
	}
	sc.Config = ssh.Config{KeyExchanges: KeyExchanges, Ciphers: Ciphers, MACs: MACs}
	sc.PublicKeyAuthAlgorithms = PublicKeyAuths
	sc.MaxAuthTries = MaxAuthTries
	sc.ServerVersion = ServerVersion
	sc.AddHostKey(cfg.HostKey)
	return sc
}
