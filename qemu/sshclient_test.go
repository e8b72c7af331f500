package qemu

import (
	"bytes"
	"crypto/ed25519"
	"crypto/rand"
	"fmt"
	"io"
	"net"
	"os"
	"regexp"
	"sync"
	"testing"
	"time"

	"github.com/stretchr/testify/require"
	"golang.org/x/crypto/ssh"
)

// sshBoot boots the image with the test key built in (make build-all:
// IMAGE=hr-ssh) on QEMU's user-mode network, and waits until the board
// serves SSH. It returns the machine and the forwarded 127.0.0.1 port.
func sshBoot(t *testing.T) (*session, int) {
	t.Helper()
	img := os.Getenv("HR_SSH_IMAGE")
	if img == "" || os.Getenv("HR_SSH_KEY") == "" {
		t.Skip("HR_SSH_IMAGE/HR_SSH_KEY not set: run `make test`")
	}
	port := freePort(t)
	s := startWith(t, img, Options{SSHPort: port})
	s.banner()
	s.expect(`ssh: serving the console on 10\.0\.0\.1:22`)
	return s, port
}

// freePort asks the host for an unused loopback port.
func freePort(t *testing.T) int {
	t.Helper()
	l, err := net.Listen("tcp", "127.0.0.1:0")
	require.NoError(t, err)
	defer l.Close()
	return l.Addr().(*net.TCPAddr).Port
}

// testSigner is the key the hr-ssh image authorizes.
func testSigner(t *testing.T) ssh.Signer {
	t.Helper()
	pem, err := os.ReadFile(os.Getenv("HR_SSH_KEY"))
	require.NoError(t, err)
	signer, err := ssh.ParsePrivateKey(pem)
	require.NoError(t, err)
	return signer
}

// otherSigner is a key nobody authorized.
func otherSigner(t *testing.T) ssh.Signer {
	t.Helper()
	_, priv, err := ed25519.GenerateKey(rand.Reader)
	require.NoError(t, err)
	signer, err := ssh.NewSignerFromKey(priv)
	require.NoError(t, err)
	return signer
}

// clientConfig authenticates with signer and checks the host key with
// hostKey (ssh.InsecureIgnoreHostKey when the test does not care).
func clientConfig(signer ssh.Signer, hostKey ssh.HostKeyCallback) *ssh.ClientConfig {
	return &ssh.ClientConfig{
		User:            "root",
		Auth:            []ssh.AuthMethod{ssh.PublicKeys(signer)},
		HostKeyCallback: hostKey,
		Timeout:         timeout,
	}
}

// dial connects over the forwarded port with the test key.
func dial(t *testing.T, port int) *ssh.Client {
	t.Helper()
	c, err := dialWith(port, clientConfig(testSigner(t), ssh.InsecureIgnoreHostKey()))
	require.NoError(t, err)
	t.Cleanup(func() { c.Close() })
	return c
}

func dialWith(port int, cfg *ssh.ClientConfig) (*ssh.Client, error) {
	return ssh.Dial("tcp", fmt.Sprintf("127.0.0.1:%d", port), cfg)
}

// shell is an interactive SSH session (pty + shell) read like the UART.
type shell struct {
	t     *testing.T
	sess  *ssh.Session
	stdin io.WriteCloser

	mu   sync.Mutex
	out  bytes.Buffer
	pos  int
	more chan struct{}
}

// openShell starts an interactive session on c and waits for its prompt.
func openShell(t *testing.T, c *ssh.Client) *shell {
	t.Helper()
	sh, err := tryShell(t, c)
	require.NoError(t, err)
	sh.expect(prompt)
	return sh
}

func tryShell(t *testing.T, c *ssh.Client) (*shell, error) {
	sess, err := c.NewSession()
	if err != nil {
		return nil, err
	}
	sh := &shell{t: t, sess: sess, more: make(chan struct{}, 1)}
	if sh.stdin, err = sess.StdinPipe(); err != nil {
		return nil, err
	}
	stdout, err := sess.StdoutPipe()
	if err != nil {
		return nil, err
	}
	if err := sess.RequestPty("xterm", 40, 120, ssh.TerminalModes{}); err != nil {
		return nil, err
	}
	if err := sess.Shell(); err != nil {
		return nil, err
	}
	go func() { _, _ = io.Copy(sh, stdout) }()
	t.Cleanup(func() { sess.Close() })
	return sh, nil
}

// Write collects the session's output and wakes a waiting expect.
func (sh *shell) Write(p []byte) (int, error) {
	sh.mu.Lock()
	sh.out.Write(p)
	sh.mu.Unlock()
	select {
	case sh.more <- struct{}{}:
	default:
	}
	return len(p), nil
}

// send types a line.
func (sh *shell) send(line string) {
	sh.t.Helper()
	_, err := io.WriteString(sh.stdin, line+"\r")
	require.NoError(sh.t, err)
}

// expect waits until pattern matches what the session printed since the
// last match, and returns the submatches.
func (sh *shell) expect(pattern string) []string {
	sh.t.Helper()
	m, err := sh.expectWithin(pattern, timeout)
	require.NoError(sh.t, err, "ssh session output:\n%s", sh.transcript())
	return m
}

func (sh *shell) expectWithin(pattern string, d time.Duration) ([]string, error) {
	re := regexp.MustCompile(pattern)
	deadline := time.After(d)
	for {
		sh.mu.Lock()
		rest := sh.out.Bytes()[sh.pos:]
		if loc := re.FindSubmatchIndex(rest); loc != nil {
			subs := submatches(rest, loc)
			sh.pos += loc[1]
			sh.mu.Unlock()
			return subs, nil
		}
		sh.mu.Unlock()
		select {
		case <-sh.more:
		case <-deadline:
			return nil, fmt.Errorf("%w after %v waiting for %q", ErrTimeout, d, pattern)
		}
	}
}

// run types a command and returns its output up to the next prompt.
func (sh *shell) run(line string) string {
	sh.t.Helper()
	sh.send(line)
	return sh.expect(`(?s)` + regexp.QuoteMeta(line) + `\r\n(.*?)` + prompt)[1]
}

func (sh *shell) transcript() string {
	sh.mu.Lock()
	defer sh.mu.Unlock()
	return sh.out.String()
}

// execOn runs one command on c as `ssh host CMD` does and returns its
// output; the command must exit 0.
func execOn(t *testing.T, c *ssh.Client, cmd string) string {
	t.Helper()
	sess, err := c.NewSession()
	require.NoError(t, err)
	out, err := sess.Output(cmd)
	require.NoError(t, err, "%s: exit status 0", cmd)
	return string(out)
}
