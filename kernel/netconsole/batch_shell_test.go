package netconsole

import (
	"errors"
	"io"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	"golang.org/x/crypto/ssh"

	"github.com/hotrestart/tamago-hr/kernel/console"
)

// batch runs a shell session without a terminal on input, as
// `printf … | ssh board` does, and returns its status, stdout and stderr.
func batch(t *testing.T, c *ssh.Client, input string) (int, string, string) {
	t.Helper()
	sess, err := c.NewSession()
	require.NoError(t, err)
	defer sess.Close()
	var out, errOut strings.Builder
	sess.Stdin, sess.Stdout, sess.Stderr = strings.NewReader(input), &out, &errOut
	require.NoError(t, sess.Shell())
	err = sess.Wait()
	var exit *ssh.ExitError
	if err != nil {
		require.ErrorAs(t, err, &exit)
		return exit.ExitStatus(), out.String(), errOut.String()
	}
	return 0, out.String(), errOut.String()
}

// Lines piped into a shell session run as a script: no prompt, no echo,
// and the first failing line ends it with its error and status 1.
func TestPipedLinesStopAtTheFirstFailure(t *testing.T) {
	ts := startServer(t, nil)
	c := ts.login(t)
	code, out, errOut := batch(t, c, "echo a\nbogus\necho b\n")
	assert.Equal(t, 1, code)
	assert.Equal(t, "a\n", out)
	assert.Equal(t, "error: line 2: unknown command \"bogus\" (try help)\n", errOut)

	code, out, errOut = batch(t, c, "echo a\r\n# a comment\n\necho b")
	assert.Equal(t, 0, code, errOut)
	assert.Equal(t, "a\nb\n", out)

	code, out, _ = batch(t, c, "echo a\nexit\necho b\n")
	assert.Equal(t, 0, code)
	assert.Equal(t, "a\n", out, "exit ends the script")

	code, _, errOut = batch(t, c, "echo "+strings.Repeat("x", console.MaxLine+1)+"\necho b\n")
	assert.Equal(t, 1, code)
	assert.Equal(t, "error: line 1: line too long (at most 4096 bytes)\n", errOut)
}

// With a terminal (ssh -t), an exec'd command's standard input is the
// keyboard: a command that reads a stream is refused at once instead of
// taking keystrokes (a Ctrl-C is a byte) for its data.
func TestTerminalStdinIsNotAStream(t *testing.T) {
	ts := startServer(t, func(c *Config) {
		c.Shell.MustAdd(console.Cmd{Name: "slurp", Fn: func(out io.Writer, _ []string) error {
			_, err := io.ReadAll(out.(console.StdinWriter).Stdin())
			return err
		}})
	})
	sess, stdin, out := startOnPty(t, ts.login(t), "slurp")
	stdin.Write([]byte{0x03})
	stdin.Close() // a command that took the byte as data would end here with status 0
	var exit *ssh.ExitError
	require.ErrorAs(t, sess.Wait(), &exit)
	assert.Equal(t, 1, exit.ExitStatus())
	assert.Equal(t, "error: "+ErrTerminalStdin.Error()+"\r\n", out.String())
}

// An exec'd command learns that it should stop (console.Interrupter): its
// client typed Ctrl-C on a terminal, or closed the session.
func TestExecInterrupted(t *testing.T) {
	stopped := make(chan struct{}, 2)
	ts := startServer(t, func(c *Config) {
		c.Shell.MustAdd(console.Cmd{Name: "long", Fn: func(out io.Writer, _ []string) error {
			<-console.InterruptOf(out)
			stopped <- struct{}{}
			return errors.New("stopped")
		}})
	})
	c := ts.login(t)

	sess, stdin, out := startOnPty(t, c, "long")
	_, err := stdin.Write([]byte("x\x03"))
	require.NoError(t, err)
	ended := make(chan error, 1)
	go func() { ended <- sess.Wait() }()
	select {
	case err = <-ended:
	case <-time.After(wait):
		t.Fatal("Ctrl-C did not stop the command")
	}
	var exit *ssh.ExitError
	require.ErrorAs(t, err, &exit)
	assert.Equal(t, 1, exit.ExitStatus())
	assert.Equal(t, "error: stopped\r\n", out.String())
	<-stopped

	sess, err = c.NewSession()
	require.NoError(t, err)
	require.NoError(t, sess.Start("long"))
	require.NoError(t, sess.Close()) // the client leaves
	select {
	case <-stopped:
	case <-time.After(wait):
		t.Fatal("the command was not told its client left")
	}
}

// startOnPty starts cmd as an exec with a terminal (ssh -t): its keys go
// to stdin, its output (stdout and stderr) to out.
func startOnPty(t *testing.T, c *ssh.Client, cmd string) (*ssh.Session, io.WriteCloser, *strings.Builder) {
	t.Helper()
	sess, err := c.NewSession()
	require.NoError(t, err)
	require.NoError(t, sess.RequestPty("xterm", 24, 80, ssh.TerminalModes{}))
	out := &strings.Builder{}
	sess.Stdout, sess.Stderr = out, out
	stdin, err := sess.StdinPipe()
	require.NoError(t, err)
	require.NoError(t, sess.Start(cmd))
	return sess, stdin, out
}
