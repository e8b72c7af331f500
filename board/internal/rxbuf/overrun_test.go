package rxbuf

import (
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
)

// An overrun while the buffer is full (silicon: a long paste while a long
// command runs): the poller leaves the FIFO and USR2.ORE alone until it
// has room, then reads the FIFO's 32 characters (the 32nd flagged), and
// only then reports the overrun. The loss lands after the FIFO's
// characters, so the line they complete runs and the one that lost
// characters is refused. (From the hostile review of issue #26.)
func TestOverrunWhileBufferFullPlacedAfterFIFO(t *testing.T) {
	b := New()
	line := strings.Repeat("x", 63) + "\r"
	for range Size / len(line) {
		putString(b, line) // a backlog the console has not read yet
	}
	assert.Equal(t, 0, b.Room())
	readAll(t, b, Size)
	fifo := "uptime\rpmm free keep-0123456789a"
	putString(b, fifo[:31])
	b.Put(char(fifo[31]) | URXD_OVRRUN | URXD_ERR)
	b.Overrun() // the FIFO is empty now: ORE is handled
	putString(b, "\r")
	got, lost := readAll(t, b, 33)
	assert.Equal(t, fifo+"\r", got)
	assert.Equal(t, uint64(0), lost[0], "uptime arrived whole")
	assert.Equal(t, uint64(1), lost[len(lost)-1], "the line after it lost characters")
}
