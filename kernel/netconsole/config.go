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
	DefaultMaxSessions      = 4
	DefaultHandshakeTimeout = 10 * time.Second
)

// spareConns is how many connections beyond MaxSessions may still complete
// a handshake, so that a client arriving at a full console is told "busy"
// instead of seeing its TCP connection drop; past that, connections are
// closed at once so a flood cannot exhaust the board's memory.
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
	// HandshakeTimeout bounds key exchange plus authentication, so an idle
	// or slow peer cannot hold a connection slot (DefaultHandshakeTimeout
	// when 0).
	HandshakeTimeout time.Duration
	// Log receives one line per connection event; nil discards them.
	Log func(format string, args ...any)
	// Attach, when set, subscribes each interactive session's output to
	// the system's console log (console.Log.Attach), so what actors print
	// reaches SSH operators too; the session detaches when it ends.
	Attach func(w io.Writer) (detach func())
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
	}
	if cfg.MaxSessions == 0 {
		cfg.MaxSessions = DefaultMaxSessions
	}
	if cfg.HandshakeTimeout <= 0 {
		cfg.HandshakeTimeout = DefaultHandshakeTimeout
	}
	if cfg.Log == nil {
		cfg.Log = func(string, ...any) {}
	}
	return cfg, nil
}

// sshConfig builds the server side: public keys from the authorized set and
// no other method. PasswordCallback and KeyboardInteractiveCallback stay nil
// and NoClientAuth false, which is what makes x/crypto/ssh refuse those
// methods.
func (cfg Config) sshConfig() *ssh.ServerConfig {
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
				cfg.Log("ssh: %s: %s auth as %q refused: %v", c.RemoteAddr(), method, c.User(), err)
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
