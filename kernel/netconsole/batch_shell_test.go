package netconsole

import (
	"io"
	"strings"
	"testing"

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
	sess, err := ts.login(t).NewSession()
	require.NoError(t, err)
	require.NoError(t, sess.RequestPty("xterm", 24, 80, ssh.TerminalModes{}))
	var out strings.Builder
	sess.Stdout, sess.Stderr = &out, &out
	stdin, err := sess.StdinPipe()
	require.NoError(t, err)
	require.NoError(t, sess.Start("slurp"))
	stdin.Write([]byte{0x03})
	stdin.Close() // a command that took the byte as data would end here with status 0
	var exit *ssh.ExitError
	require.ErrorAs(t, sess.Wait(), &exit)
	assert.Equal(t, 1, exit.ExitStatus())
	assert.Equal(t, "error: "+ErrTerminalStdin.Error()+"\r\n", out.String())
}
