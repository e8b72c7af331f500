package console

import (
	"bytes"
	"errors"
	"io"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func testShell(t *testing.T) (*Shell, *[]string) {
	var got []string
	sh := New()
	rec := func(out io.Writer, args []string) error {
		got = append(got, strings.Join(args, ","))
		return nil
	}
	require.NoError(t, sh.Add(Cmd{Name: "aps", Help: "list actors", Fn: rec}))
	require.NoError(t, sh.Add(Cmd{Name: "pmm ls", Help: "list blocks", Fn: rec}))
	require.NoError(t, sh.Add(Cmd{Name: "pmm alloc", Syntax: "NAME SIZE [KEY]", Help: "allocate", MinArgs: 2, MaxArgs: 3, Fn: rec}))
	require.NoError(t, sh.Add(Cmd{Name: "arun", Syntax: "[-g GID] PROGRAM [ARGS…]", MinArgs: 1, MaxArgs: -1, Fn: rec}))
	return sh, &got
}

func TestExecDispatch(t *testing.T) {
	sh, got := testShell(t)
	var out bytes.Buffer
	require.NoError(t, sh.Exec(&out, "  pmm   alloc a 4096 k  # comment"))
	require.NoError(t, sh.Exec(&out, "aps"))
	require.NoError(t, sh.Exec(&out, "arun -g 1 hello x y"))
	require.NoError(t, sh.Exec(&out, ""))
	require.NoError(t, sh.Exec(&out, "# only a comment"))
	assert.Equal(t, []string{"a,4096,k", "", "-g,1,hello,x,y"}, *got)
}

func TestExecErrors(t *testing.T) {
	sh, _ := testShell(t)
	var out bytes.Buffer
	err := sh.Exec(&out, "frobnicate now")
	require.ErrorIs(t, err, ErrUnknown)
	assert.Contains(t, err.Error(), `"frobnicate"`)

	err = sh.Exec(&out, "pmm frob")
	require.ErrorIs(t, err, ErrUnknown)
	assert.Contains(t, err.Error(), `"pmm frob"`)
	assert.Contains(t, err.Error(), "alloc|ls")

	err = sh.Exec(&out, "pmm")
	require.ErrorIs(t, err, ErrUsage)

	err = sh.Exec(&out, "pmm alloc onlyname")
	require.ErrorIs(t, err, ErrUsage)
	assert.Contains(t, err.Error(), "pmm alloc NAME SIZE [KEY]")
	require.ErrorIs(t, sh.Exec(&out, "aps extra"), ErrUsage)
}

func TestGarbageIsQuotedAndBounded(t *testing.T) {
	sh, _ := testShell(t)
	garbage := string([]byte{0x1b, '[', '2', 'J', 0xff, 0xfe, 0x07}) + strings.Repeat("A", 10000)
	err := sh.Exec(io.Discard, garbage)
	require.ErrorIs(t, err, ErrUnknown)
	assert.Less(t, len(err.Error()), 200)
	assert.NotContains(t, err.Error(), "\x1b")
	assert.NotContains(t, err.Error(), "\x07")
}

func TestAddRejectsBadNames(t *testing.T) {
	sh, _ := testShell(t)
	fn := func(io.Writer, []string) error { return nil }
	assert.Error(t, sh.Add(Cmd{Name: "aps", Fn: fn}))
	assert.Error(t, sh.Add(Cmd{Name: "", Fn: fn}))
	assert.Error(t, sh.Add(Cmd{Name: "a b c", Fn: fn}))
	assert.Error(t, sh.Add(Cmd{Name: "ok"}))
	assert.Panics(t, func() { sh.MustAdd(Cmd{Name: "aps", Fn: fn}) })
}

func TestHelpListsEveryCommand(t *testing.T) {
	sh, _ := testShell(t)
	var out bytes.Buffer
	require.NoError(t, sh.Exec(&out, "help"))
	for _, want := range []string{"aps", "pmm ls", "pmm alloc NAME SIZE [KEY]", "allocate", "help", "arun [-g GID] PROGRAM [ARGS…]"} {
		assert.Contains(t, out.String(), want)
	}
}

// pipeRW joins a scripted input to a captured output.
type pipeRW struct {
	in  io.Reader
	out bytes.Buffer
}

func (p *pipeRW) Read(b []byte) (int, error)  { return p.in.Read(b) }
func (p *pipeRW) Write(b []byte) (int, error) { return p.out.Write(b) }

func TestSessionServe(t *testing.T) {
	sh, got := testShell(t)
	require.NoError(t, sh.Add(Cmd{Name: "fail", Fn: func(io.Writer, []string) error { return errors.New("boom") }}))
	require.NoError(t, sh.Add(Cmd{Name: "bye", Fn: func(io.Writer, []string) error { return ErrExit }}))
	rw := &pipeRW{in: strings.NewReader("aps\rnope\rfail\r" + strings.Repeat("x", 5000) + "\rbye\raps\r")}
	require.NoError(t, NewSession(rw).Serve(sh))
	out := rw.out.String()
	assert.Contains(t, out, "error: unknown command \"nope\"")
	assert.Contains(t, out, "error: boom")
	assert.Contains(t, out, Prompt)
	assert.Equal(t, []string{""}, *got, "aps after bye must not run")
}

func TestSessionEndsAtEOF(t *testing.T) {
	sh, got := testShell(t)
	rw := &pipeRW{in: strings.NewReader("aps\r")}
	require.NoError(t, NewSession(rw).Serve(sh))
	assert.Len(t, *got, 1)
}

// Invalid UTF-8 must not wedge the line editor (x/term waits for ever on it).
func TestSessionSurvivesInvalidUTF8(t *testing.T) {
	sh, got := testShell(t)
	rw := &pipeRW{in: strings.NewReader("\xff\xfe\x80\r\xc3\raps\r\xe2\x82\xac\raps\r")}
	require.NoError(t, NewSession(rw).Serve(sh))
	assert.Len(t, *got, 2)
	assert.Contains(t, rw.out.String(), `unknown command "???"`)
	assert.Contains(t, rw.out.String(), `unknown command "\u20ac"`, "valid UTF-8 passes")
}

func TestUTF8FilterSplitSequences(t *testing.T) {
	// a valid rune split across reads is held back, not replaced
	f := &utf8Filter{r: io.MultiReader(strings.NewReader("a\xe2"), strings.NewReader("\x82\xacb\xff"))}
	var out bytes.Buffer
	n, err := f.Read(make([]byte, 3))
	assert.Zero(t, n)
	require.ErrorIs(t, err, io.ErrShortBuffer)
	buf := make([]byte, 4)
	for {
		n, err := f.Read(buf)
		out.Write(buf[:n])
		if err != nil {
			break
		}
	}
	assert.Equal(t, "a\u20acb?", out.String())
}

// Once closed, the shell runs no line on any session, and says why.
func TestClosedShellRunsNothing(t *testing.T) {
	sh, got := testShell(t)
	require.NoError(t, sh.Exec(io.Discard, "arun before"))
	why := errors.New("the board is going down")
	sh.Close(why)
	assert.ErrorIs(t, sh.Exec(io.Discard, "arun after"), why)
	assert.NoError(t, sh.Exec(io.Discard, "  # only a comment"), "an empty line is still nothing")
	assert.Equal(t, []string{"before"}, *got)
}

// A restricted shell keeps the commands asked for and answers every other
// one with the refusal, whatever its arguments; its help is its own.
func TestRestrict(t *testing.T) {
	sh, got := testShell(t)
	r := sh.Restrict(func(name string) bool { return name == "aps" || name == "pmm ls" },
		func(name string) error { return errors.New(name + " needs the bank") })
	var out bytes.Buffer
	require.NoError(t, r.Exec(&out, "aps"))
	require.NoError(t, r.Exec(&out, "pmm ls"))
	assert.Equal(t, []string{"", ""}, *got)
	assert.EqualError(t, r.Exec(&out, "pmm alloc"), "pmm alloc needs the bank")
	assert.EqualError(t, r.Exec(&out, "arun -g 1 x y"), "arun needs the bank")
	assert.EqualError(t, r.Exec(&out, "nosuch"), `unknown command "nosuch" (try help)`)
	require.NoError(t, r.Exec(&out, "help"))
	assert.Equal(t, "aps         list actors\narun        (unavailable in this mode)\nexit        end this session (as logout)\n"+
		"help        list every command with its syntax\nlog off|on  this session's log of actor and system lines\n"+
		"logout      end this session (as exit)\npmm alloc   (unavailable in this mode) allocate\npmm ls      list blocks\n", out.String())
	require.NoError(t, sh.Exec(&out, "pmm alloc a 1"), "the full shell is unchanged")
}
