package console

import (
	"fmt"
	"io"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// live is an interactive session served in the background: keys are
// typed into it, its output is read as a terminal would get it.
type live struct {
	t    *testing.T
	keys *io.PipeWriter
	out  *syncBuf
	s    *Session
	done chan error
}

func startLive(t *testing.T, serial bool) *live {
	t.Helper()
	sh, _ := testShell(t)
	in, keys := io.Pipe()
	l := &live{t: t, keys: keys, out: &syncBuf{}, done: make(chan error, 1)}
	rw := struct {
		io.Reader
		io.Writer
	}{in, l.out}
	l.s = NewSession(rw)
	if serial {
		l.s = NewSerialSession(rw)
	}
	go func() { l.done <- l.s.Serve(sh) }()
	t.Cleanup(func() { keys.Close() })
	l.wait(Prompt)
	return l
}

func (l *live) wait(want string) {
	l.t.Helper()
	eventually(l.t, func() bool { return strings.HasSuffix(l.out.String(), want) })
}

func (l *live) log(msg string) {
	l.t.Helper()
	_, err := fmt.Fprint(l.s.Out(), msg)
	require.NoError(l.t, err)
}

func (l *live) typed(keys string) {
	l.t.Helper()
	_, err := io.WriteString(l.keys, keys)
	require.NoError(l.t, err)
}

// A log line at an untouched prompt is printed below it, the prompt left
// alone: one prompt per command, as a line-oriented script expects. The
// first key after it puts the cursor back in the prompt's column. On a
// line being typed, the line editor redraws prompt and line around it.
func TestLogLeavesAnUntouchedPromptAlone(t *testing.T) {
	l := startLive(t, false)
	l.log("tick 1\n")
	l.log("tick 2\n")
	l.wait("hr> \r\ntick 1\r\ntick 2\r\n")
	l.typed("aps\r")
	l.wait("hr> \r\ntick 1\r\ntick 2\r\n    aps\r\nhr> ")
	assert.Equal(t, 2, strings.Count(l.out.String(), Prompt), "no prompt drawn for the log lines")
	assert.NotContains(t, l.out.String(), "\x1b", "and nothing erased")

	l.typed("ap")
	l.wait("hr> ap")
	l.log("tock\n")
	l.wait("tock\r\nhr> ap") // erased, printed, redrawn with the line
	l.typed("s\r")
	l.wait("s\r\nhr> ")
}

// log off stops a session's background messages, log on brings them
// back; exit and logout end a network session and not the UART's.
func TestLogOffAndExit(t *testing.T) {
	l := startLive(t, false)
	l.typed("log off\r")
	l.wait("(log on: back)\r\nhr> ")
	l.log("hidden\n")
	l.typed("log on\r")
	l.wait("system lines\r\nhr> ")
	l.log("shown\n")
	l.wait("hr> \r\nshown\r\n")
	assert.NotContains(t, l.out.String(), "hidden")
	l.typed("log maybe\r")
	l.wait("error: usage: log off|on, not \"maybe\"\r\nhr> ")
	l.typed("exit\r")
	require.NoError(t, <-l.done, "exit ends the session")

	l = startLive(t, false)
	l.typed("logout\r")
	require.NoError(t, <-l.done, "as logout does")

	u := startLive(t, true)
	u.typed("exit\r")
	u.wait("error: the serial console has no session to end\r\nhr> ")
}

// An exec session (no Interactive output) has no log to switch.
func TestLogRefusedOutsideASession(t *testing.T) {
	sh, _ := testShell(t)
	err := sh.Exec(io.Discard, "log off")
	require.EqualError(t, err, "log: only an interactive session has a log (an exec session shows its command's output only)")
	assert.ErrorIs(t, sh.Exec(io.Discard, "exit"), ErrExit)
}

// Home and End as the Linux console, tmux, screen, PuTTY (ESC [ 1 ~,
// ESC [ 4 ~) and rxvt (ESC [ 7 ~, ESC [ 8 ~) send them move the cursor.
func TestHomeAndEndKeys(t *testing.T) {
	got, out := serve(t, true, "un a\x1b[1~ar\x1b[4~1\run b\x1b[7~ar\x1b[8~2\r")
	assert.Equal(t, []string{"a1", "b2"}, got)
	assert.NotContains(t, out, "error")
}

// The transcript's text without the line editor's escape sequences.
func TestPlainDropsEscapes(t *testing.T) {
	var p Plain
	var b strings.Builder
	for _, c := range []byte("hr> \x1b[4D\x1b[Ktick\r\nhr> ab\x1b7\x1b[1;2Hc") {
		if p.Keep(c) {
			b.WriteByte(c)
		}
	}
	assert.Equal(t, "hr> tick\r\nhr> abc", b.String())
}

// A message without its newline (a maze frame) still ends a line, so the
// prompt or a command's output never continues it.
func TestLogMessageEndsALine(t *testing.T) {
	l := startLive(t, false)
	l.typed("ap")
	l.wait("hr> ap")
	l.log("frame")
	l.wait("frame\r\nhr> ap")
	l.typed("s\r")
	l.wait("s\r\nhr> ")
	l.log("frame2")
	l.wait("hr> \r\nframe2\r\n")
}
