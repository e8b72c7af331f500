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
	"sync/atomic"
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
// poller calls Put, Overrun and Tick; one reader calls Read; the rest may
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
	line    lineState
	half    atomic.Bool // line.mid, for MidLine without the lock
	stats   Stats

	// A discard (Discard) drops every character until the line has been
	// quiet for quiet: then Tick ends it.
	discarding bool
	quiet      time.Duration
	lastIn     time.Time // when the last character arrived
	dropped    int       // characters this discard dropped

	now  func() time.Time
	wake chan struct{} // a reader or Discard waits on it; capacity 1
}

// New returns an empty buffer.
func New() *Buffer { return &Buffer{wake: make(chan struct{}, 1), now: time.Now} }

// Room is how many characters Put can take now. The poller stops draining
// the FIFO when it is 0: the characters wait in the FIFO (and in QEMU's
// character backend), and only the FIFO's own overrun loses any.
func (b *Buffer) Room() int {
	b.mu.Lock()
	defer b.mu.Unlock()
	if b.discarding {
		return Size
	}
	return Size - int(b.w-b.r)
}

// Put takes one URXD word read from the FIFO: a character is kept unless
// it is garbled (parity or framing error) or a break, or a discard runs.
// The 32nd character of a full FIFO carries OVRRUN and ERR and is valid
// (IMX6ULLRM 55.15.1): it is kept, and its position marks where a later
// USR2.ORE lost characters.
func (b *Buffer) Put(urxd uint32) {
	if urxd&URXD_CHARRDY == 0 {
		return
	}
	b.mu.Lock()
	defer b.mu.Unlock()
	b.lastIn = b.now()
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
	c := byte(urxd & URXD_RX_DATA)
	b.line.next(c)
	b.half.Store(b.line.mid)
	if b.discarding {
		b.dropped++
		b.stats.Discarded++
		return
	}
	if b.w-b.r == Size {
		// the poller checks Room first; a word it read anyway is lost here
		b.stats.Overruns++
		b.lose(b.w)
		return
	}
	b.buf[b.w%Size] = c
	b.w++
	b.stats.Received++
	if urxd&URXD_OVRRUN != 0 {
		b.fullAt, b.fullSet = b.w, true
	}
	b.signal()
}

// Overrun records a USR2.ORE that the poller saw once it had drained the
// FIFO (it leaves ORE set until then, so the FIFO's characters, which
// came before the lost ones, are in first): characters were lost right
// after the one that filled the FIFO, or, when none was flagged, before
// what is read next.
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

// StartDiscard drops what is buffered and, from now on, every character
// that arrives, until the line has been quiet for quiet (Tick ends it):
// what is typed while the board goes down and comes back up never runs,
// however long the paste and whatever its pace. A line left half typed
// (by this boot's input, or by the previous boot's: ContinueCut) is
// refused when the discard ends.
func (b *Buffer) StartDiscard(quiet time.Duration) {
	b.mu.Lock()
	defer b.mu.Unlock()
	n := b.w - b.r
	b.r = b.w
	b.losses, b.fullSet = b.losses[:0], false
	b.stats.Discarded += n
	if !b.discarding {
		b.dropped = 0
	}
	b.dropped += int(n)
	b.discarding, b.quiet = true, quiet
	if b.lastIn.IsZero() || n == 0 {
		b.lastIn = b.now() // the quiet is counted from now at the earliest
	}
}

// ContinueCut says that the previous boot went down with a line half
// typed (its last look): unless this boot has received the Enter (or
// Ctrl-C) that ends it, the input stops mid-line (MidLine) and a
// discard's end refuses its rest. What this boot received so far (keys
// that type nothing, more of the line) continues that line.
func (b *Buffer) ContinueCut() {
	b.mu.Lock()
	defer b.mu.Unlock()
	if !b.line.ended {
		b.line.mid = true
		b.half.Store(true)
	}
}

// Tick ends a discard once the line has been quiet for its quiet time: a
// line left half typed is then marked lost, so that its rest, typed later,
// is refused with it. The poller calls it every round.
func (b *Buffer) Tick() {
	b.mu.Lock()
	defer b.mu.Unlock()
	if !b.discarding || b.now().Sub(b.lastIn) < b.quiet {
		return
	}
	b.discarding = false
	if b.line.mid {
		b.lose(b.w)
	}
	b.signal()
}

// Discarding reports whether a discard runs, how many characters it
// dropped so far, and whether the input stops in the middle of a line.
func (b *Buffer) Discarding() (on bool, dropped int, midLine bool) {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.discarding, b.dropped, b.line.mid
}

// MidLine reports whether the last character received leaves a line half
// typed (lineState), whether the reader has read it or not (type-ahead
// waiting in the buffer while the console runs a command). It takes no
// lock: the fault path asks it (kernel, bootrec LineCut).
func (b *Buffer) MidLine() bool { return b.half.Load() }

// LoseHead records a loss before everything buffered: the first line
// read is refused (its start may be missing).
func (b *Buffer) LoseHead() {
	b.mu.Lock()
	defer b.mu.Unlock()
	b.lose(b.r)
}
