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
	assert.Empty(t, prev, "blank memory has no log")
	put(r, "boot one\n")
	assert.Equal(t, "boot one\n", string(r.Bytes()))

	r, prev = Attach(mem)
	assert.Equal(t, "boot one\n", string(prev))
	assert.Empty(t, r.Bytes())
}

func TestWrapKeepsNewest(t *testing.T) {
	mem := make([]byte, hdr+16)
	r, _ := Attach(mem)
	put(r, strings.Repeat("a", 10)+"0123456789abcdef")
	assert.Equal(t, "0123456789abcdef", string(r.Bytes()))
	_, prev := Attach(mem)
	assert.Equal(t, "0123456789abcdef", string(prev))
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
	put(r, "0123456789abcdefXY")
	log, ok := Read(mem)
	assert.True(t, ok)
	assert.Equal(t, "23456789abcdefXY", string(log))
	_, prev := Attach(mem)
	assert.Equal(t, "23456789abcdefXY", string(prev), "Read did not consume it")
}
