package netconsole

import (
	"io"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// The line editor wraps where the client's terminal does: at the width of
// the pty request, then at the width of each window change. x/term marks
// a wrap with "\r\n" when the cursor reaches the last column.
func TestTerminalSize(t *testing.T) {
	ts := startServer(t, nil)
	sh, err := openShellSized(t, ts.login(t), 120, 40)
	require.NoError(t, err)
	sh.waitFor(t, "hr> ")

	long := strings.Repeat("x", 100)
	_, err = io.WriteString(sh.stdin, long)
	require.NoError(t, err)
	sh.waitFor(t, "hr> "+long)
	_, err = io.WriteString(sh.stdin, "\x03") // Ctrl-C: the line goes
	require.NoError(t, err)
	sh.waitFor(t, "hr> "+long+"\r\nhr> ")

	require.NoError(t, sh.sess.WindowChange(30, 50))
	_, err = io.WriteString(sh.stdin, strings.Repeat("y", 60))
	require.NoError(t, err)
	// 46 after the 4-column prompt fill the 50 columns
	sh.waitFor(t, "hr> "+strings.Repeat("y", 46)+"\r\n"+strings.Repeat("y", 14))
	assert.NotContains(t, sh.output(), "x\r\nx", "no wrap at 80 on a 120-column terminal")
}
