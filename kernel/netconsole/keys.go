package netconsole

import (
	"bytes"
	"errors"
	"fmt"
	"strings"

	"golang.org/x/crypto/ssh"
)

// ErrNoAuthorizedKeys is returned by Serve when no key may log in: a console
// that nobody can reach is off, never open.
var ErrNoAuthorizedKeys = errors.New("netconsole: no authorized key configured; refusing to serve")

// ParseAuthorizedKeys reads an OpenSSH authorized_keys file. Blank lines and
// # comments are skipped; no keys at all gives an empty result and no error.
//
// Lines with options (from=, command=, @cert-authority, …) are refused:
// this server cannot honour them, and silently ignoring a restriction would
// grant more than the file says.
func ParseAuthorizedKeys(data []byte) ([]ssh.PublicKey, error) {
	var keys []ssh.PublicKey
	for n, line := range bytes.Split(data, []byte("\n")) {
		line = bytes.TrimSpace(line)
		if len(line) == 0 || line[0] == '#' {
			continue
		}
		key, _, options, _, err := ssh.ParseAuthorizedKey(line)
		if err != nil {
			return nil, fmt.Errorf("netconsole: authorized_keys line %d: %w", n+1, err)
		}
		if len(options) > 0 {
			return nil, fmt.Errorf("netconsole: authorized_keys line %d: options %q not supported", n+1, strings.Join(options, ","))
		}
		keys = append(keys, key)
	}
	return keys, nil
}

// keySet is the authorized keys indexed by their wire encoding, which is
// what a client offers.
type keySet map[string]struct{}

func newKeySet(keys []ssh.PublicKey) keySet {
	s := keySet{}
	for _, k := range keys {
		if k != nil {
			s[string(k.Marshal())] = struct{}{}
		}
	}
	return s
}

func (s keySet) has(k ssh.PublicKey) bool {
	_, ok := s[string(k.Marshal())]
	return ok
}
