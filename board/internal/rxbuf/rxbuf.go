// Package rxbuf is the serial console's receive buffer: the i.MX UART
// receiver's 32-entry FIFO is drained into it by a poller, and the console
// reads from it. It decodes each URXD word as the reference manual defines
// it, counts what the line lost, and remembers where in the byte stream a
// loss happened, so that the console can refuse exactly the line that lost
// bytes instead of running what is left of it.
//
// It is pure Go (no registers): the board feeds it URXD words and USR2.ORE,
// and host tests feed it the same.
//
// Reference: i.MX 6ULL Applications Processor Reference Manual, Rev. 1,
// 11/2017 (IMX6ULLRM), 55.15.1 UART Receiver Register (URXD) and 55.15.9
// UART Status Register 2 (USR2).
package rxbuf

import (
	"sync"
	"time"
)

// URXD bits (IMX6ULLRM 55.15.1).
const (
	URXD_CHARRDY = 1 << 15 // the word holds a character
	URXD_ERR     = 1 << 14 // any of the four below
	URXD_OVRRUN  = 1 << 13 // the FIFO was full when this character arrived: the 32nd, valid
	URXD_FRMERR  = 1 << 12 // framing error: the character is garbled
	URXD_BRK     = 1 << 11 // a break, not a character
	URXD_PRERR   = 1 << 10 // parity error: the character is garbled
	URXD_RX_DATA = 0xff
)

// Size is the buffer's capacity in bytes: about 1.4 s of a 115200-baud line,
// more than the longest console line (4096 bytes) several times over.
const Size = 16 << 10

// Stats are the receiver's counters since boot.
type Stats struct {
	Received  uint64 // characters kept
	Overruns  uint64 // USR2.ORE seen: characters arrived with the FIFO full and were lost
	Parity    uint64 // characters dropped for a parity error
	Framing   uint64 // characters dropped for a framing error
	Breaks    uint64 // breaks received (dropped: they are not characters)
	Discarded uint64 // characters discarded by Discard (typed while a restart ran)
}

// Buffer holds received characters until the console reads them. The
// poller calls Put and Overrun; one reader calls Read; Discard and Stats may
// be called from anywhere. The zero value is not usable: use New.
type Buffer struct {
	mu   sync.Mutex
	buf  [Size]byte
	r, w uint64 // stream positions: read and written so far

	// losses are the stream positions where characters were lost, in
	// order; lost counts those the reader has passed.
	losses  []uint64
	lost    uint64
	fullAt  uint64 // position after the last character flagged OVRRUN
	fullSet bool
	midLine bool // the last character received does not end a line
	stats   Stats

	wake chan struct{} // a reader waits on it; capacity 1
}

// New returns an empty buffer.
func New() *Buffer { return &Buffer{wake: make(chan struct{}, 1)} }

// Room is how many characters Put can take now. The poller stops draining
// the FIFO when it is 0: the characters wait in the FIFO (and in QEMU's
// character backend), and only the FIFO's own overrun loses any.
func (b *Buffer) Room() int {
	b.mu.Lock()
	defer b.mu.Unlock()
	return Size - int(b.w-b.r)
}

// Put takes one URXD word read from the FIFO: a character is kept unless
// it is garbled (parity or framing error) or a break. The 32nd character of
// a full FIFO carries OVRRUN and ERR and is valid (IMX6ULLRM 55.15.1): it is
// kept, and its position marks where a later USR2.ORE lost characters.
func (b *Buffer) Put(urxd uint32) {
	if urxd&URXD_CHARRDY == 0 {
		return
	}
	b.mu.Lock()
	defer b.mu.Unlock()
	switch {
	case urxd&URXD_BRK != 0:
		b.stats.Breaks++
		return
	case urxd&URXD_PRERR != 0:
		b.stats.Parity++
		b.lose(b.w)
		return
	case urxd&URXD_FRMERR != 0:
		b.stats.Framing++
		b.lose(b.w)
		return
	}
	if b.w-b.r == Size {
		// the poller checks Room first; a word it read anyway is lost here
		b.stats.Overruns++
		b.lose(b.w)
		return
	}
	c := byte(urxd & URXD_RX_DATA)
	b.buf[b.w%Size] = c
	b.w++
	b.midLine = c != '\r' && c != '\n'
	b.stats.Received++
	if urxd&URXD_OVRRUN != 0 {
		b.fullAt, b.fullSet = b.w, true
	}
	b.signal()
}

// Overrun records a USR2.ORE the poller saw (and cleared): characters
// arrived while the FIFO was full and were lost right after the character
// that filled it, or, when none was flagged, before what is read next.
func (b *Buffer) Overrun() {
	b.mu.Lock()
	defer b.mu.Unlock()
	b.stats.Overruns++
	at := b.w
	if b.fullSet {
		at = b.fullAt
	}
	b.fullSet = false
	b.lose(at)
}

// lose records a loss at stream position at (mu held).
func (b *Buffer) lose(at uint64) {
	at = max(at, b.r)
	if n := len(b.losses); n == 0 || b.losses[n-1] != at {
		b.losses = append(b.losses, at)
	}
	b.signal()
}

func (b *Buffer) signal() {
	select {
	case b.wake <- struct{}{}:
	default:
	}
}

// Read blocks until there is something to read and copies characters into
// p, never across a loss: a Read that passes one raises Lost before it
// returns, so the characters it returns came after the loss.
func (b *Buffer) Read(p []byte) (int, error) {
	if len(p) == 0 {
		return 0, nil
	}
	for {
		b.mu.Lock()
		for len(b.losses) > 0 && b.losses[0] <= b.r {
			b.losses = b.losses[1:]
			b.lost++
		}
		end := b.w
		if len(b.losses) > 0 {
			end = min(end, b.losses[0])
		}
		n := 0
		for b.r < end && n < len(p) {
			p[n] = b.buf[b.r%Size]
			b.r++
			n++
		}
		b.mu.Unlock()
		if n > 0 {
			return n, nil
		}
		<-b.wake
	}
}

// Lost counts the losses the reader has passed: a console compares it
// across a Read to see that the line being typed lost characters.
func (b *Buffer) Lost() uint64 {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.lost
}

// Stats returns the counters.
func (b *Buffer) Stats() Stats {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.stats
}

// Discard drops what is buffered and what arrives until quiet passes with
// nothing new, at most for limit, and returns how many characters that
// was and whether the input stops in the middle of a line: the last
// character received ends none (the console may have taken the start of
// that line already), or the limit came before the quiet. The caller then
// marks a loss (MarkLoss), here or on the next boot, so that the rest of
// that line, typed later, is refused with it instead of running as a
// command.
func (b *Buffer) Discard(quiet, limit time.Duration) (n int, cut bool) {
	start := time.Now()
	last := start
	for {
		b.mu.Lock()
		if b.r < b.w {
			n += int(b.w - b.r)
			b.r = b.w
			last = time.Now()
		}
		b.losses, b.fullSet = b.losses[:0], false
		b.mu.Unlock()

		now := time.Now()
		idle, spent := now.Sub(last), now.Sub(start)
		if idle >= quiet || spent >= limit {
			b.mu.Lock()
			defer b.mu.Unlock()
			b.stats.Discarded += uint64(n)
			return n, b.midLine || idle < quiet
		}
		// the poller fills the buffer at its own pace: look again soon
		time.Sleep(min(quiet-idle, limit-spent, discardStep))
	}
}

// MarkLoss records a loss before whatever is read next: the line it
// belongs to is refused (a line cut by a Discard, maybe on the boot before).
func (b *Buffer) MarkLoss() {
	b.mu.Lock()
	defer b.mu.Unlock()
	b.lose(b.w)
}

// discardStep is how often Discard looks for new characters: short
// against its quiet time, long against the poller's round.
const discardStep = 500 * time.Microsecond
