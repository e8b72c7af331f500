package netconsole

import (
	"fmt"
	"io"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	"golang.org/x/crypto/ssh"

	"github.com/hotrestart/tamago-hr/kernel/console"
)

// Before the board goes down every session is told why, gets an exit
// status and is closed, so clients return on their own: the exec whose
// command goes down exits 0, another exec is hung up (HUP), a shell ends
// cleanly; nothing is served afterwards.
func TestHangupEndsEverySession(t *testing.T) {
	h := NewHangup()
	running := make(chan string, 4)
	ts := startServer(t, func(c *Config) {
		c.Hangup = h
		block := func(out io.Writer, args []string) error {
			running <- strings.Join(args, " ")
			select {} // the board goes down under it
		}
		require.NoError(t, c.Shell.Add(console.Cmd{Name: "restart", Help: "goes down", Fn: takesDown(block), MaxArgs: -1}))
		require.NoError(t, c.Shell.Add(console.Cmd{Name: "slow", Help: "takes long", Fn: block, MaxArgs: -1}))
	})
	c := ts.login(t)

	type result struct {
		err    error
		stderr string
	}
	run := func(cmd string) chan result {
		done := make(chan result, 1)
		s, err := c.NewSession()
		require.NoError(t, err)
		var stderr strings.Builder
		s.Stderr = &stderr
		go func() {
			err := s.Run(cmd)
			done <- result{err, stderr.String()}
		}()
		return done
	}
	restart, slow := run("restart"), run("slow job")
	<-running
	<-running
	sh, err := openShell(t, c)
	require.NoError(t, err)
	sh.run(t, "echo up", "up\r\n")
	quiet, err := openShell(t, c) // its log did not show what happens
	require.NoError(t, err)
	quiet.run(t, "log off", "log off: this session shows only the answers to its commands (log on: back)\r\n")

	h.Close(Goodbye{Line: "hr: site restart: console restart; this session ends", Shell: "hr: this session ends"})
	for name, done := range map[string]chan result{"restart": restart, "slow": slow} {
		select {
		case r := <-done:
			assert.Contains(t, r.stderr, "hr: site restart: console restart; this session ends\n", name)
			if name == "restart" {
				assert.NoError(t, r.err, "the command that goes down exits 0")
				continue
			}
			var exit *ssh.ExitError
			require.ErrorAs(t, r.err, &exit, name)
			assert.Equal(t, "HUP", exit.Signal())
		case <-time.After(wait):
			t.Fatalf("%s: the client did not return", name)
		}
	}
	sh.waitFor(t, "\r\nhr: this session ends\r\n")
	sh.mu.Lock()
	assert.NotContains(t, sh.out.String(), "console restart", "a shell, whose log said what happens, is told only that it ends")
	sh.mu.Unlock()
	quiet.waitFor(t, "\r\nhr: site restart: console restart; this session ends\r\n")
	ended := make(chan error, 1)
	go func() { ended <- sh.sess.Wait() }()
	select {
	case err := <-ended:
		assert.NoError(t, err, "a shell ends with status 0")
	case <-time.After(wait):
		t.Fatal("the shell did not end")
	}

	_, err = c.NewSession()
	assert.Error(t, err, "the connection is closed")
}

// A script piped into a shell (no terminal) is an exec of the line it
// runs when the board goes down: 0 when that line is the one that goes
// down, HUP when someone else's restart cuts it.
func TestHangupEndsAScript(t *testing.T) {
	for _, tc := range []struct {
		script string
		signal string // "" for exit status 0
	}{
		{"echo a\nrestart\necho never\n", ""},
		{"echo a\nslow job\necho never\n", "HUP"},
	} {
		h := NewHangup()
		running := make(chan struct{}, 1)
		ts := startServer(t, func(c *Config) {
			c.Hangup = h
			block := func(io.Writer, []string) error {
				running <- struct{}{}
				select {}
			}
			require.NoError(t, c.Shell.Add(console.Cmd{Name: "restart", Help: "goes down", Fn: takesDown(block), MaxArgs: -1}))
			require.NoError(t, c.Shell.Add(console.Cmd{Name: "slow", Help: "takes long", Fn: block, MaxArgs: -1}))
		})
		s, err := ts.login(t).NewSession()
		require.NoError(t, err)
		var stdout, stderr strings.Builder
		s.Stdin, s.Stdout, s.Stderr = strings.NewReader(tc.script), &stdout, &stderr
		require.NoError(t, s.Shell())
		<-running
		h.Close(Goodbye{Line: "hr: site restart: console restart; this session ends", Shell: "hr: this session ends"})
		err = s.Wait()
		assert.Equal(t, "a\n", stdout.String(), tc.script)
		assert.Equal(t, "hr: site restart: console restart; this session ends\n", stderr.String(), tc.script)
		if tc.signal == "" {
			assert.NoError(t, err, tc.script)
			continue
		}
		var exit *ssh.ExitError
		require.ErrorAs(t, err, &exit, tc.script)
		assert.Equal(t, tc.signal, exit.Signal())
	}
}

// takesDown is fn as the kernel's way down runs a command that takes the
// board down: its output is told so (console.Asker) before the hang-up.
func takesDown(fn console.Fn) console.Fn {
	return func(out io.Writer, args []string) error {
		a, ok := out.(console.Asker)
		if !ok {
			return fmt.Errorf("%T is no console.Asker", out)
		}
		a.TakesBoardDown()
		return fn(out, args)
	}
}
