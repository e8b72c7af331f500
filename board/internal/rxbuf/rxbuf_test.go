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

// Discard drops whole lines silently and says when it cut one; MarkLoss
// then makes the rest of that line, typed later, follow a loss.
func TestDiscard(t *testing.T) {
	b := New()
	putString(b, "restart\rpmm ls\r")
	n, cut := b.Discard(time.Millisecond, time.Second)
	assert.Equal(t, 15, n)
	assert.False(t, cut, "it ended on a line end")
	putString(b, "bank\r")
	got, lost := readAll(t, b, 5)
	assert.Equal(t, "bank\r", got)
	assert.Equal(t, uint64(0), lost[len(lost)-1])

	putString(b, "upt")
	n, cut = b.Discard(time.Millisecond, time.Second)
	assert.Equal(t, 3, n)
	assert.True(t, cut, "a line was half typed")
	b.MarkLoss()
	putString(b, "ime\r")
	got, lost = readAll(t, b, 4)
	assert.Equal(t, "ime\r", got)
	assert.Equal(t, uint64(1), lost[0], "the rest of the line comes after a loss")

	n, cut = b.Discard(time.Millisecond, time.Second)
	assert.Equal(t, 0, n)
	assert.False(t, cut)
	assert.Equal(t, uint64(18), b.Stats().Discarded)
}

// The console may already hold the start of a line (it reads ahead): with
// nothing left to drop, Discard still says the input stops mid-line.
func TestDiscardAfterConsoleReadAhead(t *testing.T) {
	b := New()
	putString(b, "restart\rpmm wr")
	readAll(t, b, 14)
	n, cut := b.Discard(time.Millisecond, time.Second)
	assert.Equal(t, 0, n)
	assert.True(t, cut)

	putString(b, "ls\r")
	readAll(t, b, 3)
	n, cut = b.Discard(time.Millisecond, time.Second)
	assert.Equal(t, 0, n)
	assert.False(t, cut)
}

// Discard keeps discarding while characters keep coming, up to its limit;
// a limit that cuts a burst short says so even on a line end.
func TestDiscardWaitsForQuiet(t *testing.T) {
	b := New()
	stop := make(chan struct{})
	done := make(chan struct{})
	go func() {
		defer close(done)
		for {
			select {
			case <-stop:
				return
			default:
			}
			putString(b, "x\r")
			time.Sleep(100 * time.Microsecond)
		}
	}()
	n, cut := b.Discard(50*time.Millisecond, 30*time.Millisecond)
	close(stop)
	<-done
	assert.Greater(t, n, 2, "it went on discarding while input came")
	assert.True(t, cut, "the limit cut the burst")
}
