package netconsole

import (
	"bytes"
	"crypto/ed25519"
	"errors"
	"fmt"
	"io"
	"net"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/stretchr/testify/require"
	"golang.org/x/crypto/ssh"

	"github.com/hotrestart/tamago-hr/kernel/console"
)

// wait bounds every blocking step, so a bug fails a test instead of hanging it.
const wait = 5 * time.Second

// testSigner derives a fixed ed25519 key from a one-byte tag: deterministic
// keys, no entropy needed.
func testSigner(t *testing.T, tag byte) ssh.Signer {
	t.Helper()
	s, err := ssh.NewSignerFromKey(ed25519.NewKeyFromSeed(bytes.Repeat([]byte{tag}, ed25519.SeedSize)))
	require.NoError(t, err)
	return s
}

// testShell has `echo` besides the built-in `help`.
func testShell(t *testing.T) *console.Shell {
	sh := console.New()
	require.NoError(t, sh.Add(console.Cmd{Name: "echo", Syntax: "WORDS…", Help: "print the words", MaxArgs: -1,
		Fn: func(out io.Writer, args []string) error {
			_, err := fmt.Fprintln(out, strings.Join(args, " "))
			return err
		}}))
	return sh
}

// testLog logs through t until the test ends: connection goroutines may
// outlive it by a moment, and t.Logf after the end panics.
func testLog(t *testing.T) func(string, ...any) {
	var mu sync.Mutex
	ended := false
	t.Cleanup(func() { mu.Lock(); ended = true; mu.Unlock() })
	return func(f string, a ...any) {
		mu.Lock()
		defer mu.Unlock()
		if !ended {
			t.Logf(f, a...)
		}
	}
}

type testServer struct {
	addr    string
	hostKey ssh.Signer
	user    ssh.Signer // the authorized key
}

// startServer serves on a loopback port with one authorized key and stops
// at the end of the test. edit adjusts the configuration.
func startServer(t *testing.T, edit func(*Config)) *testServer {
	t.Helper()
	ts := &testServer{hostKey: testSigner(t, 1), user: testSigner(t, 2)}
	cfg := Config{Shell: testShell(t), HostKey: ts.hostKey, AuthorizedKeys: []ssh.PublicKey{ts.user.PublicKey()},
		Log: testLog(t)}
	if edit != nil {
		edit(&cfg)
	}
	l, err := net.Listen("tcp4", "127.0.0.1:0")
	require.NoError(t, err)
	ts.addr = l.Addr().String()
	served := make(chan error, 1)
	go func() { served <- Serve(l, cfg) }()
	t.Cleanup(func() {
		l.Close()
		select {
		case err := <-served:
			require.ErrorIs(t, err, net.ErrClosed)
		case <-time.After(wait):
			t.Error("Serve did not return after its listener closed")
		}
	})
	return ts
}

// dial logs in with the given methods and pins the server's host key.
func (ts *testServer) dial(t *testing.T, methods ...ssh.AuthMethod) (*ssh.Client, error) {
	t.Helper()
	c, err := ssh.Dial("tcp4", ts.addr, &ssh.ClientConfig{
		User:            "console",
		Auth:            methods,
		HostKeyCallback: ssh.FixedHostKey(ts.hostKey.PublicKey()),
		Timeout:         wait,
	})
	if err == nil {
		t.Cleanup(func() { c.Close() })
	}
	return c, err
}

// login is dial with the authorized key, which must work.
func (ts *testServer) login(t *testing.T) *ssh.Client {
	t.Helper()
	c, err := ts.dial(t, ssh.PublicKeys(ts.user))
	require.NoError(t, err)
	return c
}

// shell is an interactive session whose output is collected as it arrives.
type shell struct {
	sess  *ssh.Session
	stdin io.WriteCloser
	mu    sync.Mutex
	out   bytes.Buffer
}

func openShell(t *testing.T, c *ssh.Client) (*shell, error) {
	t.Helper()
	return openShellSized(t, c, 80, 24)
}

// openShellSized opens a shell on a terminal of cols columns and rows rows.
func openShellSized(t *testing.T, c *ssh.Client, cols, rows int) (*shell, error) {
	t.Helper()
	sess, err := c.NewSession()
	if err != nil {
		return nil, err
	}
	sh := &shell{sess: sess}
	sh.stdin, err = sess.StdinPipe()
	require.NoError(t, err)
	stdout, err := sess.StdoutPipe()
	require.NoError(t, err)
	require.NoError(t, sess.RequestPty("xterm", rows, cols, ssh.TerminalModes{}))
	require.NoError(t, sess.Shell())
	go func() {
		buf := make([]byte, 4096)
		for {
			n, err := stdout.Read(buf)
			sh.mu.Lock()
			sh.out.Write(buf[:n])
			sh.mu.Unlock()
			if err != nil {
				return
			}
		}
	}()
	return sh, nil
}

// run types a line and waits until want has appeared in the output.
func (sh *shell) run(t *testing.T, line, want string) {
	t.Helper()
	_, err := io.WriteString(sh.stdin, line+"\r")
	require.NoError(t, err)
	sh.waitFor(t, want)
}

func (sh *shell) waitFor(t *testing.T, want string) {
	t.Helper()
	require.Eventually(t, func() bool { return strings.Contains(sh.output(), want) }, wait, time.Millisecond,
		"waiting for %q; output so far:\n%s", want, sh.output())
}

func (sh *shell) output() string {
	sh.mu.Lock()
	defer sh.mu.Unlock()
	return sh.out.String()
}

// end closes stdin, which ends the console session, and checks it exited 0.
func (sh *shell) end(t *testing.T) {
	t.Helper()
	require.NoError(t, sh.stdin.Close())
	done := make(chan error, 1)
	go func() { done <- sh.sess.Wait() }()
	select {
	case err := <-done:
		require.NoError(t, err)
	case <-time.After(wait):
		t.Fatal("session did not end after stdin closed")
	}
}

// isOpenChannelError reports whether err is a channel open rejected for reason.
func isOpenChannelError(err error, reason ssh.RejectionReason) bool {
	var oce *ssh.OpenChannelError
	return errors.As(err, &oce) && oce.Reason == reason
}
