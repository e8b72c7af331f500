// Package netconsole serves the firmware console over SSH.
//
// Every accepted session channel gets its own console.Session, so two
// operators never share a line editor, a prompt or an output stream (the
// tamago-example SSH server reused one shell for every connection;
// tamago-notes §4.2). Clients authenticate with a public key from a fixed
// authorized set, and with nothing else: no password, no keyboard-interactive,
// no "none". A server with no authorized key refuses to start rather than
// run open.
//
// A session with a terminal (pty-req) is an interactive console sized to
// it (window-change followed); a shell without one runs its input as a
// script that stops at the first failing line; an exec runs one line
// (session.go). Clients past the limits are told "console busy" as they
// ask for a session (server.go).
//
// Facing the network (issue 27): only modern algorithms are offered
// (algorithms.go); connections that have not logged in have their own budget
// and a grace time, and a newcomer evicts an idle one instead of being
// refused (startups.go); authentication attempts are bounded (MaxAuthTries)
// and failures are logged once per burst (burstlog.go).
//
// The package is pure Go (no tamago imports) so it is tested on the host over
// loopback TCP with a real x/crypto/ssh client; the firmware hands it a
// listener from the USB network stack.
package netconsole
