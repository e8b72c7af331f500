package console

import (
	"bytes"
	"io"
	"strings"
	"sync"
)

// logGate decides how a background message (the console log: what actors
// print, the controller's lines) reaches one interactive session, so that
// a script reading the session line by line (wait for "hr> ", send, read
// to the next "hr> ") sees exactly one prompt per command:
//
//   - while a command runs, the message is printed as it comes;
//   - while the prompt waits and nothing is typed on it, the message is
//     printed below the prompt, which is left alone (no erase, no second
//     prompt), as a Linux console prints kernel messages; the first key
//     typed after it puts the cursor back in the prompt's column, so the
//     line lines up and the line editor's idea of the cursor stays true;
//   - while a line is being typed, x/term erases it, prints the message
//     and redraws the prompt and the line: the typist keeps the line.
//
// Every message ends a line: one without its newline (a maze frame, which
// places itself with cursor moves) gets one.
//
// A session may switch its log off (`log off`): messages are dropped for
// it, and only for it.
type logGate struct {
	t   io.Writer // the line editor (x/term): its Write redraws
	raw io.Writer // the terminal beneath it

	mu        sync.Mutex
	changed   *sync.Cond // reading, idle or typed changed
	reading   bool       // Serve waits in ReadLine
	idle      bool       // the key filter waits for input: x/term showed all it got
	typed     bool       // keys of an unfinished line went to x/term
	displaced bool       // a message was printed below the current prompt
	off       bool       // `log off`
	prompt    int        // the prompt's width in columns
}

func newLogGate(t, raw io.Writer, prompt string) *logGate {
	g := &logGate{t: t, raw: raw, prompt: len([]rune(prompt))}
	g.changed = sync.NewCond(&g.mu)
	return g
}

// set changes the gate's state under its lock and wakes a waiting Write.
func (g *logGate) set(f func()) {
	if g == nil {
		return
	}
	g.mu.Lock()
	f()
	g.mu.Unlock()
	g.changed.Broadcast()
}

// handed records the keys the filter passed to x/term (whole escape
// sequences, keyFilter): a line is typed once a character or a history
// key (Up, Down) shows something on it, until its Enter. Keys that show
// nothing on an empty line (Left, Right, Home, End, Backspace, Delete,
// Tab, control keys) leave it untyped: the next log line still leaves the
// prompt alone.
func (g *logGate) handed(p []byte) {
	if len(p) == 0 {
		return
	}
	g.set(func() {
		if g.displaced && g.reading {
			// x/term echoes where it believes the cursor is, in the
			// prompt's column: the cursor goes there first (blanks, not
			// a cursor move: no escapes in the log)
			g.raw.Write([]byte(strings.Repeat(" ", g.prompt)))
			g.displaced = false
		}
		g.typed = typesOn(g.typed, p)
	})
}

// typesOn tells whether the line is typed after keys p, typed before them.
func typesOn(typed bool, p []byte) bool {
	for i := 0; i < len(p); i++ {
		switch c := p[i]; {
		case c == cr || c == lf:
			typed = false
		case c == esc:
			j := i + 1
			if j < len(p) && p[j] == '[' {
				for j++; j < len(p) && (p[j] < 0x40 || p[j] > 0x7e); j++ {
				}
			}
			if j < len(p) && (p[j] == 'A' || p[j] == 'B') {
				typed = true // history: a line recalled
			}
			i = j
		case c >= 0x20 && c != del:
			typed = true
		}
	}
	return typed
}

func (g *logGate) setIdle(idle bool) { g.set(func() { g.idle = idle }) }
func (g *logGate) setLog(on bool)    { g.set(func() { g.off = !on }) }

// logOn reports whether background messages are shown (not `log off`).
func (g *logGate) logOn() bool {
	g.mu.Lock()
	defer g.mu.Unlock()
	return !g.off
}
func (g *logGate) setReading(r bool) { g.set(func() { g.reading, g.displaced = r, false }) }

// Write prints one background message (see logGate).
func (g *logGate) Write(p []byte) (int, error) {
	g.mu.Lock()
	defer g.mu.Unlock()
	// between two lines (x/term about to show its prompt, or a pasted
	// line still to come out of its buffer) the screen is not settled:
	// wait until x/term waits for keys, or a line is typed or running
	for g.reading && !g.typed && !g.idle {
		g.changed.Wait()
	}
	n := len(p)
	if n > 0 && p[n-1] != '\n' {
		// a message is a line: one without its end would be glued to
		// the command output or the prompt that comes next
		p = append(p[:len(p):len(p)], '\n')
	}
	switch {
	case g.off:
		return n, nil
	case g.reading && !g.typed:
		var b bytes.Buffer
		if !g.displaced {
			b.WriteString("\r\n") // below the prompt
		}
		b.WriteString(strings.ReplaceAll(string(bytes.TrimRight(p, "\r\n")), "\n", "\r\n"))
		b.WriteString("\r\n")
		g.displaced = true
		if _, err := g.raw.Write(b.Bytes()); err != nil {
			return 0, err
		}
		return n, nil
	}
	if _, err := g.t.Write(p); err != nil {
		return 0, err
	}
	return n, nil
}
