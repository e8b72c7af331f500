package rxbuf

// lineState follows the characters received as the console's line editor
// would see them, to tell whether the input stops in the middle of a line
// of text: printable characters start or extend one; Enter (CR, LF) and
// Ctrl-C end it; an escape sequence (an arrow key: ESC [ A, SS3 keys: ESC
// O P) and other control characters (NUL after a telnet CR, Ctrl-D) leave
// it as it was, since they type no text.
type lineState struct {
	mid   bool
	ended bool  // a line was ended (Enter, Ctrl-C) since boot
	esc   uint8 // 0: text; 1: after ESC; 2: inside a CSI or SS3 sequence
}

func (l *lineState) next(c byte) {
	switch l.esc {
	case 1:
		if c == '[' || c == 'O' {
			l.esc = 2
			return
		}
		l.esc = 0 // ESC and a key: the key counts (console: a bare ESC is dropped)
	case 2:
		if c >= 0x20 && c <= 0x3f {
			return // parameter or intermediate byte
		}
		l.esc = 0
		return // the final byte ends the sequence
	}
	switch {
	case c == 0x1b:
		l.esc = 1
	case c == '\r' || c == '\n' || c == 0x03:
		l.mid, l.ended = false, true
	case c >= 0x20 && c != 0x7f:
		l.mid = true
	}
}
