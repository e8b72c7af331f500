package netconsole

import (
	"errors"
	"fmt"
	"io"
	"net"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/hotrestart/tamago-hr/kernel/console"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	"golang.org/x/crypto/ssh"
)

func TestAuthorizedKeyGetsShell(t *testing.T) {
	ts := startServer(t, nil)
	sh, err := openShell(t, ts.login(t))
	require.NoError(t, err)
	sh.waitFor(t, "hr> ")
	sh.run(t, "help", "list every command with its syntax")
	sh.waitFor(t, "print the words")
	sh.run(t, "frobnicate", `error: unknown command "frobnicate"`)
	sh.end(t)
}

func TestUnauthorizedKeyRejected(t *testing.T) {
	ts := startServer(t, nil)
	_, err := ts.dial(t, ssh.PublicKeys(testSigner(t, 3)))
	require.Error(t, err)
	assert.Contains(t, err.Error(), "unable to authenticate")
}

func TestOnlyPublicKeyAuth(t *testing.T) {
	ts := startServer(t, nil)
	answer := func(string, string, []string, []bool) ([]string, error) { return []string{"hunter2"}, nil }
	_, err := ts.dial(t, ssh.Password("hunter2"), ssh.KeyboardInteractive(answer))
	require.Error(t, err)
	// The server lists publickey as the only method that can continue.
	assert.Contains(t, err.Error(), "no supported methods remain")
}

func TestConcurrentSessionsDoNotMix(t *testing.T) {
	ts := startServer(t, nil)
	const rounds = 30
	var wg sync.WaitGroup
	shells := make([]*shell, 2)
	for i := range shells {
		sh, err := openShell(t, ts.login(t))
		require.NoError(t, err)
		shells[i] = sh
		wg.Add(1)
		go func() {
			defer wg.Done()
			for r := range rounds {
				tok := fmt.Sprintf("s%d-r%02d", i, r)
				if _, err := io.WriteString(sh.stdin, "echo "+tok+"\r"); err != nil {
					t.Error(err)
					return
				}
				// Wait for the echo and the next prompt, i.e. the
				// command's output line.
				if !waitOutput(sh, tok+"\r\n") {
					t.Errorf("session %d: no output for %s", i, tok)
					return
				}
			}
		}()
	}
	wg.Wait()
	for i, sh := range shells {
		out := sh.output()
		other := fmt.Sprintf("s%d-", 1-i)
		assert.NotContains(t, out, other, "session %d saw the other session's text", i)
		// Each token appears twice: the typed line echoed, and the
		// command's output.
		for r := range rounds {
			assert.Equal(t, 2, strings.Count(out, fmt.Sprintf("s%d-r%02d", i, r)))
		}
		sh.end(t)
	}
}

// waitOutput is waitFor for goroutines other than the test's (no FailNow).
func waitOutput(sh *shell, want string) bool {
	deadline := time.Now().Add(wait)
	for time.Now().Before(deadline) {
		if strings.Contains(sh.output(), want) {
			return true
		}
		time.Sleep(time.Millisecond)
	}
	return false
}

func TestExec(t *testing.T) {
	ts := startServer(t, nil)
	c := ts.login(t)

	sess, err := c.NewSession()
	require.NoError(t, err)
	out, err := sess.Output("echo hello  world")
	require.NoError(t, err, "exit status 0")
	assert.Equal(t, "hello world\n", string(out))

	sess, err = c.NewSession()
	require.NoError(t, err)
	var stderr strings.Builder
	sess.Stderr = &stderr
	err = sess.Run("frobnicate")
	var exit *ssh.ExitError
	require.ErrorAs(t, err, &exit)
	assert.Equal(t, 1, exit.ExitStatus())
	assert.Contains(t, stderr.String(), `error: unknown command "frobnicate"`)

	// a line longer than the UART or a script takes is refused whole,
	// even when its command would run (hostile finding CMD23-6)
	for _, n := range []int{console.MaxLine, console.MaxLine + 1} {
		sess, err = c.NewSession()
		require.NoError(t, err)
		stderr.Reset()
		sess.Stderr = &stderr
		line := "echo" + strings.Repeat(" ", n-len("echo x")) + " x"
		out, err = sess.Output(line)
		if n == console.MaxLine {
			require.NoError(t, err, "the longest line runs")
			assert.Equal(t, "x\n", string(out))
			continue
		}
		require.ErrorAs(t, err, &exit)
		assert.Equal(t, 1, exit.ExitStatus())
		assert.Empty(t, out, "nothing of it ran")
		assert.Equal(t, fmt.Sprintf("error: line too long (%d bytes, at most %d)\n", n, console.MaxLine), stderr.String())
	}

	// With a terminal the client is raw, so lines end in \r\n.
	sess, err = c.NewSession()
	require.NoError(t, err)
	require.NoError(t, sess.RequestPty("xterm", 24, 80, ssh.TerminalModes{}))
	out, err = sess.Output("echo a")
	require.NoError(t, err)
	assert.Equal(t, "a\r\n", string(out))
}

func TestSessionLimit(t *testing.T) {
	ts := startServer(t, func(c *Config) { c.MaxSessions = 2 })
	a, err := openShell(t, ts.login(t))
	require.NoError(t, err)
	b, err := openShell(t, ts.login(t))
	require.NoError(t, err)
	a.run(t, "echo a-up", "a-up\r\n")
	b.run(t, "echo b-up", "b-up\r\n")

	// A third client still logs in, is told why, and gets nothing.
	third := ts.login(t)
	_, err = third.NewSession()
	require.True(t, isOpenChannelError(err, ssh.ResourceShortage), "got %v", err)
	assert.Contains(t, err.Error(), "console busy: all 2 sessions in use")

	// Several sessions over one connection count the same.
	_, err = openShell(t, ts.login(t))
	require.True(t, isOpenChannelError(err, ssh.ResourceShortage), "got %v", err)

	// Logged-in connections past the spare ones are told the same, and
	// closed.
	fifth, err := ts.dial(t, ssh.PublicKeys(ts.user))
	require.NoError(t, err)
	_, err = fifth.NewSession()
	require.True(t, isOpenChannelError(err, ssh.ResourceShortage), "got %v", err)
	assert.Contains(t, err.Error(), "console busy: all 2 sessions in use")
	assert.Error(t, fifth.Wait(), "and closed")

	// A slot freed is a slot usable again.
	a.end(t)
	require.Eventually(t, func() bool {
		s, err := third.NewSession()
		if err == nil {
			s.Close()
		}
		return err == nil
	}, wait, 5*time.Millisecond)
	b.run(t, "echo b-still", "b-still\r\n")
}

func TestLoginGrace(t *testing.T) {
	ts := startServer(t, func(c *Config) { c.LoginGrace = 100 * time.Millisecond })
	c, err := net.Dial("tcp4", ts.addr)
	require.NoError(t, err)
	defer c.Close()
	require.NoError(t, c.SetReadDeadline(time.Now().Add(wait)))
	// The server sends its version line, then gives up on the silent peer.
	_, err = io.ReadAll(c)
	require.NoError(t, err, "the server closed the connection before the test's deadline")
}

func TestServeRefusesBadConfig(t *testing.T) {
	host, user := testSigner(t, 1), testSigner(t, 2)
	good := Config{Shell: testShell(t), HostKey: host, AuthorizedKeys: []ssh.PublicKey{user.PublicKey()}}
	for name, edit := range map[string]func(*Config){
		"no keys":           func(c *Config) { c.AuthorizedKeys = nil },
		"nil key":           func(c *Config) { c.AuthorizedKeys = []ssh.PublicKey{nil} },
		"no host key":       func(c *Config) { c.HostKey = nil },
		"no shell":          func(c *Config) { c.Shell = nil },
		"negative":          func(c *Config) { c.MaxSessions = -1 },
		"negative startups": func(c *Config) { c.MaxStartups = -1 },
	} {
		t.Run(name, func(t *testing.T) {
			cfg := good
			edit(&cfg)
			l := &countingListener{}
			err := Serve(l, cfg)
			require.Error(t, err)
			assert.Zero(t, l.accepts, "Serve must not accept with a bad configuration")
		})
	}
	err := Serve(&countingListener{}, Config{Shell: good.Shell, HostKey: host})
	require.ErrorIs(t, err, ErrNoAuthorizedKeys)
	assert.Contains(t, err.Error(), "no authorized key")
}

// countingListener fails every Accept and counts the calls.
type countingListener struct{ accepts int }

func (l *countingListener) Accept() (net.Conn, error) {
	l.accepts++
	return nil, errors.New("no connections here")
}
func (l *countingListener) Close() error   { return nil }
func (l *countingListener) Addr() net.Addr { return &net.TCPAddr{} }
