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
