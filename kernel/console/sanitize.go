package console

import (
	"io"
	"unicode/utf8"
)

// utf8Filter replaces every byte that cannot start or continue valid UTF-8
// with '?'. x/term's line reader takes utf8.RuneError for "more bytes
// needed" and waits for ever: one stray 0xff (serial line noise) would wedge
// the console. A valid but incomplete sequence is held back until the rest
// arrives. Reads need room for one whole rune (x/term reads 256 bytes).
type utf8Filter struct {
	r   io.Reader
	raw []byte // read, not yet passed on
	buf [256]byte
}

func (f *utf8Filter) Read(p []byte) (int, error) {
	if len(p) < utf8.UTFMax {
		return 0, io.ErrShortBuffer
	}
	for {
		out := 0
		for len(f.raw) > 0 && utf8.FullRune(f.raw) {
			r, size := utf8.DecodeRune(f.raw)
			if r == utf8.RuneError && size == 1 {
				p[out] = '?'
				out++
			} else if out+size <= len(p) {
				out += copy(p[out:], f.raw[:size])
			} else {
				break
			}
			f.raw = f.raw[size:]
			if out == len(p) {
				break
			}
		}
		if out > 0 {
			return out, nil
		}
		// keep the incomplete tail at the front, then read behind it
		n := copy(f.buf[:], f.raw)
		m, err := f.r.Read(f.buf[n:])
		f.raw = f.buf[:n+m]
		if m == 0 && err != nil {
			return 0, err
		}
	}
}

// Plain tells the text of a terminal's output from its escape sequences
// (ECMA-48: ESC [ parameters final, or ESC and one byte), so that a
// transcript (the crash log that dmesg shows) keeps what was printed and
// typed without the line editor's cursor moves and erasures. Feed it every
// byte in order; the zero value is ready.
type Plain struct {
	seq int // bytes of the sequence being skipped: 0 none, 1 ESC, 2+ CSI
}

// Keep reports whether c is text (true) or part of an escape sequence.
func (p *Plain) Keep(c byte) bool {
	switch {
	case p.seq == 0 && c == esc:
		p.seq = 1
	case p.seq == 0:
		return true
	case p.seq == 1 && c == '[':
		p.seq = 2
	case p.seq == 1:
		p.seq = 0 // ESC and one byte (ESC 7, ESC M …)
	case c >= 0x40 && c <= 0x7e, p.seq >= maxEscape:
		p.seq = 0 // the final byte, or noise too long to be a sequence
	default:
		p.seq++ // parameter or intermediate byte
	}
	return false
}
