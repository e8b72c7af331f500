package rxbuf

import (
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func char(c byte) uint32 { return URXD_CHARRDY | uint32(c) }

func putString(b *Buffer, s string) {
	for i := range len(s) {
		b.Put(char(s[i]))
	}
}

// readAll reads what is buffered, noting the Lost count after each Read.
func readAll(t *testing.T, b *Buffer, want int) (string, []uint64) {
	t.Helper()
	var got []byte
	var lost []uint64
	p := make([]byte, 7) // small reads: a loss must split them exactly
	for len(got) < want {
		n, err := b.Read(p)
		require.NoError(t, err)
		got = append(got, p[:n]...)
		lost = append(lost, b.Lost())
	}
	return string(got), lost
}

// The 32nd character of a full FIFO carries OVRRUN and ERR and is valid
// data (IMX6ULLRM 55.15.1): it is kept. tamago's Rx dropped it.
func TestLastFIFOEntryKept(t *testing.T) {
	b := New()
	putString(b, "0123456789012345678901234567890")
	b.Put(char('X') | URXD_OVRRUN | URXD_ERR)
	got, lost := readAll(t, b, 32)
	assert.Equal(t, "0123456789012345678901234567890X", got)
	assert.Equal(t, uint64(0), lost[len(lost)-1])
	assert.Equal(t, Stats{Received: 32}, b.Stats())
}

// Garbled characters and breaks are dropped and counted; a garbled one is a
// loss at its place in the stream, a break is not.
func TestErrorsDroppedAndCounted(t *testing.T) {
	b := New()
	putString(b, "ab")
	b.Put(char('?') | URXD_PRERR | URXD_ERR)
	putString(b, "cd")
	b.Put(char(0) | URXD_BRK | URXD_FRMERR | URXD_ERR)
	putString(b, "ef")
	b.Put(char('!') | URXD_FRMERR | URXD_ERR)
	b.Put(0x41) // no CHARRDY: nothing
	got, lost := readAll(t, b, 6)
	assert.Equal(t, "abcdef", got)
	assert.Equal(t, []uint64{0, 1}, lost, "the parity loss before c, none for the break; the framing loss is after f")
	assert.Equal(t, Stats{Received: 6, Parity: 1, Framing: 1, Breaks: 1}, b.Stats())
}

// A USR2.ORE loses characters right after the one that filled the FIFO:
// the characters the poller read after it (which arrived once it had room
// again) are on the far side of the loss.
func TestOverrunPlacedAfterFullCharacter(t *testing.T) {
	b := New()
	putString(b, "abc")
	b.Put(char('d') | URXD_OVRRUN | URXD_ERR)
	putString(b, "ef") // read in the same drain, after the lost ones
	b.Overrun()
	got, lost := readAll(t, b, 6)
	assert.Equal(t, "abcdef", got)
	assert.Equal(t, []uint64{0, 1}, lost, "abcd before the loss, ef after")
	assert.Equal(t, uint64(1), b.Stats().Overruns)

	// without a flagged character the loss is before what comes next
	b.Overrun()
	putString(b, "g")
	got, lost = readAll(t, b, 1)
	assert.Equal(t, "g", got)
	assert.Equal(t, []uint64{2}, lost)
}

// A full buffer takes nothing more: Room says so, and a word put anyway is
// an overrun, never a silent drop.
func TestFullBuffer(t *testing.T) {
	b := New()
	for range Size {
		b.Put(char('x'))
	}
	assert.Equal(t, 0, b.Room())
	b.Put(char('y'))
	assert.Equal(t, uint64(1), b.Stats().Overruns)
	got, lost := readAll(t, b, Size)
	assert.Len(t, got, Size)
	assert.NotContains(t, got, "y")
	assert.Equal(t, uint64(0), lost[len(lost)-1], "the loss is after the buffered characters")
	putString(b, "z")
	_, lost = readAll(t, b, 1)
	assert.Equal(t, []uint64{1}, lost)
	assert.Equal(t, Size, b.Room())
}

// Read blocks until a character arrives.
func TestReadBlocks(t *testing.T) {
	b := New()
	done := make(chan string)
	go func() {
		p := make([]byte, 8)
		n, _ := b.Read(p)
		done <- string(p[:n])
	}()
	select {
	case s := <-done:
		t.Fatalf("Read returned %q with nothing buffered", s)
	case <-time.After(20 * time.Millisecond):
	}
	putString(b, "k")
	assert.Equal(t, "k", <-done)
}

// clock is a fake time for the buffer.
type clock struct{ t time.Time }

func (c *clock) now() time.Time          { return c.t }
func (c *clock) advance(d time.Duration) { c.t = c.t.Add(d) }

func withClock() (*Buffer, *clock) {
	b, c := New(), &clock{t: time.Unix(1000, 0)}
	b.now = c.now
	return b, c
}

// A discard drops what is buffered and everything that arrives, however
// long and however paced, until the line has been quiet for its quiet
// time; then characters are kept again, and a line left half typed is a
// loss, so the rest of it is refused.
func TestDiscardUntilQuiet(t *testing.T) {
	b, c := withClock()
	putString(b, "restart\r")
	b.StartDiscard(250 * time.Millisecond)
	for i := range 1000 { // a long paste with 100 ms line delays
		putString(b, "pmm write keep tail\r")
		c.advance(100 * time.Millisecond)
		b.Tick()
		on, n, _ := b.Discarding()
		require.True(t, on, "line %d: the paste is still arriving", i)
		require.Equal(t, 8+20*(i+1), n)
	}
	putString(b, "reboot\r")
	c.advance(249 * time.Millisecond)
	b.Tick()
	on, _, mid := b.Discarding()
	assert.True(t, on)
	assert.False(t, mid)
	c.advance(time.Millisecond)
	b.Tick()
	on, n, _ := b.Discarding()
	assert.False(t, on, "quiet for 250 ms: the discard ends")
	assert.Equal(t, 8+20*1000+7, n)

	putString(b, "bank\r")
	got, lost := readAll(t, b, 5)
	assert.Equal(t, "bank\r", got)
	assert.Equal(t, uint64(0), lost[len(lost)-1], "the discard ended on a line end: nothing refused")
	assert.Equal(t, uint64(8+20*1000+7), b.Stats().Discarded)
}

// A discard that ends in the middle of a line, or that starts told the
// previous boot left one half typed, refuses the rest of that line.
func TestDiscardCutLine(t *testing.T) {
	for name, tc := range map[string]struct {
		before, during string
		prevCut        bool
		refused        bool
	}{
		"half line typed during":            {during: "pmm wr", refused: true},
		"whole lines typed during":          {during: "pmm ls\rbank\r"},
		"half line read by the console":     {before: "restart\rpmm wr", refused: true},
		"previous boot cut a line":          {prevCut: true, refused: true},
		"previous cut, then a line end":     {prevCut: true, during: "ite x\r"},
		"previous cut, line end already in": {prevCut: true, before: "ite x\r"},
		"previous cut, a CR NUL's NUL in":   {prevCut: true, before: "\x00", refused: true},
		"previous cut, an arrow key in":     {prevCut: true, before: "\x1b[A", refused: true},
		"previous cut, more of the line in": {prevCut: true, before: "ite", refused: true},
		"Ctrl-C ends the half line":         {during: "pmm wr\x03"},
		"an arrow key types nothing":        {during: "\x1b[A\x1bOB"},
		"a telnet CR NUL":                   {during: "\r\x00"},
		"ESC and a key types the key":       {during: "\x1bx", refused: true},
	} {
		t.Run(name, func(t *testing.T) {
			b, c := withClock()
			putString(b, tc.before)
			readAll(t, b, len(tc.before))
			if tc.prevCut {
				b.ContinueCut()
			}
			b.StartDiscard(10 * time.Millisecond)
			putString(b, tc.during)
			c.advance(10 * time.Millisecond)
			b.Tick()
			on, _, _ := b.Discarding()
			require.False(t, on)
			putString(b, "uptime\r")
			got, lost := readAll(t, b, 7)
			assert.Equal(t, "uptime\r", got)
			want := uint64(0)
			if tc.refused {
				want = 1
			}
			assert.Equal(t, want, lost[0])
		})
	}
}

// MidLine tells a line half typed whether the console read it or it waits
// in the buffer (typed ahead while a command runs), and one the previous
// boot cut (bootrec LineCut).
func TestMidLine(t *testing.T) {
	b, _ := withClock()
	assert.False(t, b.MidLine())
	putString(b, "bench\rpmm alloc cut")
	assert.True(t, b.MidLine(), "typed ahead, not read")
	readAll(t, b, 19)
	assert.True(t, b.MidLine(), "read")
	putString(b, " 64\r")
	assert.False(t, b.MidLine())
	putString(b, "\x1b[A\x00")
	assert.False(t, b.MidLine(), "keys that type nothing")

	b, _ = withClock()
	b.ContinueCut()
	b.StartDiscard(10 * time.Millisecond)
	assert.True(t, b.MidLine(), "the previous boot cut a line")
}

// A line the previous boot cut is carried from the moment the boot knows
// of it (ContinueCut), before any discard: a way down then records it
// again; an Enter this boot received ends it.
func TestContinueCut(t *testing.T) {
	for name, tc := range map[string]struct {
		before, after string
		mid           bool
	}{
		"nothing received":        {mid: true},
		"keys that type nothing":  {before: "\x1b[A\x00", mid: true},
		"the cut line's Enter in": {before: "ite x\r"},
		"its Enter after":         {after: "ite x\r"},
		"a new half line after":   {after: "ite x\rpmm", mid: true},
	} {
		t.Run(name, func(t *testing.T) {
			b, _ := withClock()
			putString(b, tc.before)
			b.ContinueCut()
			putString(b, tc.after)
			assert.Equal(t, tc.mid, b.MidLine())
			_, _, mid := b.Discarding()
			assert.Equal(t, tc.mid, mid)
		})
	}
}

// Characters already in the FIFO when the console starts may have lost
// their line's start to the UART's reset: the first line is refused.
func TestLoseHead(t *testing.T) {
	b := New()
	putString(b, "ptime\r")
	b.LoseHead()
	putString(b, "bank\r")
	got, lost := readAll(t, b, 11)
	assert.Equal(t, "ptime\rbank\r", got)
	assert.Equal(t, uint64(1), lost[0])
}
