package crashlog

import (
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
)

func put(r *Ring, s string) {
	for i := 0; i < len(s); i++ {
		r.Put(s[i])
	}
}

func TestPreviousBootSurvivesAttach(t *testing.T) {
	mem := make([]byte, 64)
	r, prev := Attach(mem)
	assert.Equal(t, Log{}, prev, "blank memory has no log")
	put(r, "boot one\n")
	assert.Equal(t, Log{Text: []byte("boot one\n"), Found: true}, r.Bytes())

	r, prev = Attach(mem)
	assert.Equal(t, Log{Text: []byte("boot one\n"), Found: true}, prev)
	assert.Empty(t, r.Bytes().Text)
	assert.True(t, r.Bytes().Found)
}

// Once the ring wraps, its oldest line is cut somewhere: the snapshot
// starts at the first whole line and counts what it left out.
func TestWrapStartsAtAWholeLine(t *testing.T) {
	mem := make([]byte, hdr+16)
	r, _ := Attach(mem)
	put(r, "aaaaaaaaa\nold line\nnew\n")
	// the ring holds the last 16 bytes, "aa\nold line\nnew\n"
	assert.Equal(t, Log{Text: []byte("old line\nnew\n"), Dropped: 10, Found: true}, r.Bytes())
	_, prev := Attach(mem)
	assert.Equal(t, "old line\nnew\n", string(prev.Text))
	assert.Equal(t, uint64(10), prev.Dropped)
}

func TestWrapWithoutLineEnd(t *testing.T) {
	mem := make([]byte, hdr+16)
	r, _ := Attach(mem)
	put(r, strings.Repeat("z", 40))
	assert.Equal(t, Log{Text: []byte{}, Dropped: 40, Found: true}, r.Bytes())
}

func TestPutDoesNotAllocate(t *testing.T) {
	r, _ := Attach(make([]byte, 128))
	assert.Zero(t, testing.AllocsPerRun(100, func() { r.Put('x') }))
}

func TestReadLeavesTheLog(t *testing.T) {
	mem := make([]byte, hdr+16)
	_, ok := Read(mem)
	assert.False(t, ok, "blank memory has no log")
	r, _ := Attach(mem)
	put(r, "01234\n56789abcdefXY")
	log, ok := Read(mem)
	assert.True(t, ok)
	assert.Equal(t, "56789abcdefXY", string(log.Text))
	_, prev := Attach(mem)
	assert.Equal(t, log, prev, "Read did not consume it")
}
