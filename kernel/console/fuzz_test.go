package console

import (
	"bytes"
	"io"
	"strings"
	"testing"
	"time"
)

// FuzzSession: whatever a terminal sends (keys, escape sequences, control
// bytes, invalid UTF-8, lines past MaxLine), over the UART or SSH, the key
// filter, the line editor and the shell do not panic, the session ends at
// the end of its input, and no command gets a line longer than MaxLine.
func FuzzSession(f *testing.F) {
	for _, s := range []string{"aps\r", "arun a b\r\n", "\x1b[A\x1b[B\x1b[C\x1b[D\r", "arun typed\x03arun next\r",
		"\x1b[1;5Cpmm ls\r", "\x1bOA\x1b[200~paste\x1b[201~\r", strings.Repeat("x", MaxLine+10) + "\r",
		"arun " + strings.Repeat("é", MaxLine/2+10) + "\r", "\xff\xfe\xc3\r", "\x04", "ar\x7f\x7frun \x08x\r", "\x1b[" + strings.Repeat("9", 40) + "m\r"} {
		f.Add([]byte(s), true)
		f.Add([]byte(s), false)
	}
	f.Fuzz(func(t *testing.T, in []byte, serial bool) {
		sh, got := testShell(t)
		rw := &pipeRW{in: bytes.NewReader(in)}
		s := NewSession(rw)
		if serial {
			s = NewSerialSession(rw)
		}
		done := make(chan error, 1)
		go func() { done <- s.Serve(sh) }()
		select {
		case err := <-done:
			if err != nil {
				t.Fatalf("session ended with %v, want the end of input", err)
			}
		case <-time.After(5 * time.Second):
			t.Fatalf("session still running after the end of its input %q", in)
		}
		for _, g := range *got {
			if len(g) > MaxLine {
				t.Fatalf("a command got %d bytes", len(g))
			}
		}
	})
}

// FuzzExec: no line makes the shell panic, and a refused line is one error
// line, whatever control bytes it carried (they are quoted).
func FuzzExec(f *testing.F) {
	for _, s := range []string{"aps", "pmm", "pmm frob", "pmm alloc a", "arun -g 1 idle # c", "\x1b[2J", "\xff", "a\nb", "pmm \r\n"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, line string) {
		sh, _ := testShell(t)
		err := sh.Exec(io.Discard, line)
		if err != nil && strings.ContainsAny(err.Error(), "\r\n\x1b") {
			t.Fatalf("error %q carries control bytes", err)
		}
	})
}
