package console

import (
	"errors"
	"io"
	"math/rand"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// serve runs a serial (or network) session over input to its end and
// returns what ran and what was printed.
func serve(t *testing.T, serial bool, input string) ([]string, string) {
	t.Helper()
	sh, got := testShell(t)
	rw := &pipeRW{in: strings.NewReader(input)}
	s := NewSession(rw)
	if serial {
		s = NewSerialSession(rw)
	}
	require.NoError(t, s.Serve(sh))
	return *got, rw.out.String()
}

func TestCtrlCDiscardsTheLine(t *testing.T) {
	got, out := serve(t, true, "arun typed\x03arun next\r\x03\x03arun last\r")
	assert.Equal(t, []string{"next", "last"}, got, "the interrupted line never runs; the session goes on")
	assert.NotContains(t, out, "error")
	assert.Equal(t, 6, strings.Count(out, Prompt), "a fresh prompt after each Ctrl-C and each line")
}

func TestCtrlDOnTheUARTDoesNothing(t *testing.T) {
	got, out := serve(t, true, "\x04arun a\r\x04\x04ar\x04un b\r")
	assert.Equal(t, []string{"a", "b"}, got)
	assert.NotContains(t, out, "error")
}

func TestCtrlDEndsANetworkSession(t *testing.T) {
	got, _ := serve(t, false, "arun a\r\x04arun b\r")
	assert.Equal(t, []string{"a"}, got, "Ctrl-D on an empty line ends the session")
}

func TestBracketedPasteRunsPastedLines(t *testing.T) {
	got, out := serve(t, true, "\x1b[200~arun p1\rarun p2\r\x1b[201~arun typed\r")
	assert.Equal(t, []string{"p1", "p2", "typed"}, got)
	assert.NotContains(t, out, "error")
	// an unterminated paste leaves the console usable
	got, out = serve(t, true, "\x1b[200~arun p1\rarun p2\rarun p3\r")
	assert.Equal(t, []string{"p1", "p2", "p3"}, got)
	assert.NotContains(t, out, "error")
}

func TestLongLineRefusedWhole(t *testing.T) {
	long := "arun " + strings.Repeat("x", 5000)
	got, out := serve(t, true, long+"\rarun after\r")
	assert.Equal(t, []string{"after"}, got, "nothing of the long line runs")
	assert.Contains(t, out, "error: line too long (5005 bytes, at most 4096)\r\n")
	// pasted, and exactly at the limit
	atLimit := "arun " + strings.Repeat("y", MaxLine-5)
	got, out = serve(t, true, "\x1b[200~"+long+"\r\x1b[201~"+atLimit+"\r")
	require.Len(t, got, 1)
	assert.Equal(t, strings.Repeat("y", MaxLine-5), got[0], "a line of MaxLine bytes runs whole")
	assert.Equal(t, 1, strings.Count(out, "error: line too long"))
	// Ctrl-C ends an over-long line too, without an error
	got, out = serve(t, true, long+"\x03arun ok\r")
	assert.Equal(t, []string{"ok"}, got)
	assert.NotContains(t, out, "error")
}

func TestCommentOnlyAtWordStart(t *testing.T) {
	got, _ := serve(t, true, "arun a#b c # a comment\r#arun no\rarun x  #y\r")
	assert.Equal(t, []string{"a#b,c", "x"}, got)
}

func TestBareEscapeKeepsTheNextKey(t *testing.T) {
	got, out := serve(t, true, "\x1barun a\r\x1b\x1barun b\ras\x1b[Dp\r\x1b[5~arun c\r\x1b[1;2@arun d\r")
	assert.Equal(t, []string{"a", "b", "", "c", "d"}, got, "bare ESC dropped, arrows and unknown sequences consumed whole")
	assert.NotContains(t, out, "error")
}

// SS3 keys: application-mode arrows move the cursor, F1–F4 are dropped
// whole; neither types its letter into the line.
func TestSS3KeysConsumedWhole(t *testing.T) {
	got, out := serve(t, true, "\x1bOParun x\r\x1bOSarun ab\x1bODc\r\x1bOHarun d\x1bOF\x1bOMe\r\x1bO2Parun f\x1bO5Qg\r")
	assert.Equal(t, []string{"x", "acb", "de", "fg"}, got)
	assert.NotContains(t, out, "error")
}

// 100 KB of every byte value: the session never wedges or ends, and a
// Ctrl-C then a command still run.
func TestSessionSurvivesRandomBytes(t *testing.T) {
	r := rand.New(rand.NewSource(12))
	noise := make([]byte, 100<<10)
	r.Read(noise)
	for _, seed := range []int{0, 1, 2} {
		got, _ := serve(t, true, string(noise[seed:])+"\x03arun alive\r")
		require.NotEmpty(t, got)
		assert.Equal(t, "alive", got[len(got)-1])
	}
}

func TestStripComment(t *testing.T) {
	for in, want := range map[string]string{
		"a#b":                 "a#b",
		"a #b":                "a ",
		"a\t#b":               "a\t",
		"#x":                  "",
		"pmm write blk a#b#c": "pmm write blk a#b#c",
	} {
		assert.Equal(t, want, stripComment(in), "%q", in)
	}
}

// A session that returns without consuming anything is paused between
// attempts and reported once; when lines get through again it is served
// normally.
func TestServeForeverYieldsWhenStuck(t *testing.T) {
	sh, got := testShell(t)
	in := &scriptReader{}
	rw := struct {
		io.Reader
		io.Writer
	}{in, io.Discard}
	var report strings.Builder
	pauses := 0
	s := NewSerialSession(rw)
	done := errors.New("done")
	func() {
		defer func() { assert.Equal(t, done, recover()) }()
		s.ServeForever(sh, &report, func() {
			pauses++
			switch pauses {
			case 5:
				in.feed("arun back\r")
			case 8:
				panic(done)
			}
		})
	}()
	assert.Equal(t, 8, pauses, "paused at every attempt that made no progress")
	assert.Equal(t, []string{"back"}, *got)
	assert.Equal(t, 2, strings.Count(report.String(), "hr: console: no progress (session ended); pausing between attempts\n"),
		"said once per stall: before and after the line that got through")
}

// scriptReader returns EOF until fed, then the fed bytes once.
type scriptReader struct{ data string }

func (r *scriptReader) feed(s string) { r.data = s }
func (r *scriptReader) Read(p []byte) (int, error) {
	if r.data == "" {
		return 0, io.EOF
	}
	n := copy(p, r.data)
	r.data = r.data[n:]
	return n, nil
}
