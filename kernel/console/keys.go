package console

import (
	"io"
	"strings"
	"sync"
)

// MaxLine is the longest line the console accepts, in bytes: x/term keeps
// at most 4096 runes and drops the rest silently, so a longer line is
// refused whole instead (ErrLineTooLong).
const MaxLine = 4096

// Control bytes the key filter acts on (ECMA-48 C0 set).
const (
	ctrlC = 0x03 // ETX: discard the line
	ctrlD = 0x04 // EOT: end of session (SSH), nothing on the UART
	esc   = 0x1b
	bs    = 0x08
	del   = 0x7f
	cr    = '\r'
	lf    = '\n'
	// maxEscape bounds an escape sequence; a longer one is noise.
	maxEscape = 32
)

// verdict is what the filter decided about the line its synthetic Enter
// completes.
type verdict struct {
	interrupted bool // Ctrl-C
	tooLong     int  // > 0: the line had this many bytes
	lost        bool // characters of the line were lost on the way in
}

// lossCounter is what a reader that can lose characters tells (the UART's
// receive buffer, board/internal/rxbuf): how many losses it has passed. A
// Read that passes one returns only characters that came after it.
type lossCounter interface{ Lost() uint64 }

// keyFilter sits between the input and x/term and fixes what x/term gets
// wrong on a serial line, so that no byte can wedge or spin the console:
//
//   - Ctrl-C: x/term returns io.EOF without consuming it (the session
//     would be served again at once, for ever). The filter hands x/term an
//     Enter of its own, alone in one Read, and records that the line it
//     completes was interrupted: Serve discards it.
//   - Ctrl-D: passed on for SSH (x/term ends the session on an empty line);
//     dropped on the UART, where there is no session to end.
//   - bracketed paste markers (ESC[200~, ESC[201~): removed, so pasted
//     lines run as typed ones; x/term would flag each with
//     ErrPasteIndicator and an unterminated paste would flag every line
//     after it.
//   - Home and End as the Linux console, tmux, screen and PuTTY send
//     them (ESC [ 1 ~, ESC [ 4 ~) and rxvt (ESC [ 7 ~, ESC [ 8 ~): passed
//     as ESC [ H and ESC [ F, the only forms x/term knows; it would end
//     the others at the '~' and do nothing.
//   - escape sequences: complete CSI sequences (ESC [ … final) ending in a
//     letter or '~' pass; SS3 cursor keys (ESC O A…D, H, F: arrows in
//     application mode) pass as their CSI form, other SS3 keys (F1–F4,
//     keypad) are dropped, since x/term would end them at the 'O' and
//     type the key's letter; any other ESC is dropped
//     with what follows it up to the byte that shows it was not a
//     sequence, which is passed on. x/term would take a bare ESC and the
//     next key as one unknown sequence.
//   - a line longer than MaxLine bytes: the rest of it is dropped up to
//     its Enter, which is handed over alone with the line's length: Serve
//     refuses the line with one error.
//   - a line that lost characters on the way in (its reader is a
//     lossCounter: a UART overrun, a garbled character, the tail of a line
//     typed while a restart ran): its Enter is handed over alone with the
//     loss, and Serve refuses the line whole, so no line runs without the
//     characters the user typed.
type keyFilter struct {
	r       io.Reader
	dropD   bool // UART: Ctrl-D means nothing
	raw     []byte
	buf     [256]byte
	seq     []byte // escape sequence being collected
	seqBuf  [maxEscape]byte
	lineN   int // bytes of the current line so far
	over    bool
	lost    uint64   // the reader's loss count when last read
	damaged bool     // the current line lost characters
	gate    *logGate // told when keys go to x/term and when input is awaited; may be nil

	mu      sync.Mutex
	pending *verdict // set with the synthetic Enter, taken by Serve
}

func newKeyFilter(r io.Reader, dropCtrlD bool) *keyFilter {
	f := &keyFilter{r: r, dropD: dropCtrlD}
	f.seq = f.seqBuf[:0]
	return f
}

// take returns and clears the verdict on the line just read.
func (f *keyFilter) take() *verdict {
	f.mu.Lock()
	defer f.mu.Unlock()
	v := f.pending
	f.pending = nil
	return v
}

// enter hands over a synthetic Enter with its verdict.
func (f *keyFilter) enter(p []byte, v verdict) int {
	f.mu.Lock()
	f.pending = &v
	f.mu.Unlock()
	f.lineN, f.over, f.damaged = 0, false, false
	p[0] = cr
	return 1
}

func (f *keyFilter) Read(p []byte) (int, error) {
	n, err := f.read(p)
	if f.gate != nil {
		f.gate.handed(p[:n])
	}
	return n, err
}

func (f *keyFilter) read(p []byte) (int, error) {
	if len(p) < maxEscape {
		return 0, io.ErrShortBuffer
	}
	for {
		out := 0
		for len(f.raw) > 0 && out+len(f.seq)+1 < len(p) {
			c := f.raw[0]
			if f.over && c != cr && c != lf && c != ctrlC {
				f.raw = f.raw[1:]
				f.lineN++
				continue
			}
			switch {
			case c == ctrlC || ((f.over || f.damaged) && (c == cr || c == lf)):
				if out > 0 {
					return out, nil // the synthetic Enter goes alone
				}
				f.raw = f.raw[1:]
				f.seq = f.seq[:0]
				if c == ctrlC {
					return f.enter(p, verdict{interrupted: true}), nil
				}
				if f.over {
					return f.enter(p, verdict{tooLong: f.lineN}), nil
				}
				return f.enter(p, verdict{lost: true}), nil
			case len(f.seq) > 0 || c == esc:
				f.raw = f.raw[1:]
				out += f.escape(c, p[out:])
			default:
				f.raw = f.raw[1:]
				out += f.plain(c, p[out:])
			}
		}
		if out > 0 {
			return out, nil
		}
		if f.gate != nil {
			f.gate.setIdle(true)
		}
		m, err := f.r.Read(f.buf[:])
		if f.gate != nil {
			f.gate.setIdle(false)
		}
		f.raw = f.buf[:m]
		if lc, ok := f.r.(lossCounter); ok && m > 0 {
			if n := lc.Lost(); n != f.lost {
				// the loss came before these characters: the line
				// being typed lost some
				f.lost, f.damaged = n, true
			}
		}
		if m == 0 && err != nil {
			return 0, err
		}
	}
}

// plain passes one byte that is not part of an escape sequence and keeps
// the line's length; it returns how many bytes it wrote to p.
func (f *keyFilter) plain(c byte, p []byte) int {
	switch {
	case c == ctrlD && f.dropD:
		return 0
	case c == cr || c == lf:
		f.lineN = 0
	case c == bs || c == del:
		f.lineN = max(f.lineN-1, 0)
	case c >= 0x20:
		f.lineN++
		if f.lineN > MaxLine {
			f.over = true
			return 0
		}
	}
	p[0] = c
	return 1
}

// escape collects an escape sequence byte by byte and writes it to p when
// it is complete and worth passing (see keyFilter).
func (f *keyFilter) escape(c byte, p []byte) int {
	if c == esc && len(f.seq) > 0 {
		f.seq = f.seq[:0] // a new ESC ends a broken sequence
	}
	f.seq = append(f.seq, c)
	s := f.seq
	switch {
	case len(s) == 1:
		return 0
	case len(s) == 2 && (c == '[' || c == 'O'):
		return 0
	case len(s) == 2:
		// bare ESC: dropped, the key after it is a key of its own
		f.seq = f.seq[:0]
		return f.plain(c, p)
	case s[1] == 'O' && (c >= '0' && c <= '9' || c == ';') && len(s) < maxEscape:
		return 0 // a modifier (ESC O 2 P: Shift-F1 on older xterms)
	case s[1] == 'O':
		f.seq = f.seq[:0]
		switch {
		case strings.IndexByte("ABCDHF", c) >= 0:
			// application-mode cursor keys: x/term knows them as CSI
			return copy(p, []byte{esc, '[', c})
		case isFinal(c):
			return 0 // F1–F4 and keypad keys: x/term would end them at the 'O'
		}
		return f.plain(c, p)
	case c >= 0x20 && c <= 0x3f && len(s) < maxEscape:
		return 0 // CSI parameter or intermediate byte
	}
	f.seq = f.seq[:0]
	switch {
	case string(s) == "\x1b[200~" || string(s) == "\x1b[201~":
		return 0 // paste markers: pasted text is typed text
	case string(s) == "\x1b[1~" || string(s) == "\x1b[7~":
		// Home as the Linux console, tmux, screen, PuTTY (1) and rxvt
		// (7) send it: x/term knows only ESC [ H
		return copy(p, "\x1b[H")
	case string(s) == "\x1b[4~" || string(s) == "\x1b[8~":
		return copy(p, "\x1b[F") // End, likewise
	case isFinal(c):
		return copy(p, s)
	case c >= 0x40 && c <= 0x7e:
		return 0 // a sequence x/term would not see the end of
	}
	return f.plain(c, p) // not a sequence after all
}

// isFinal reports whether x/term recognises c as the end of a sequence.
func isFinal(c byte) bool {
	return c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c == '~'
}
