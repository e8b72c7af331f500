package netconsole

import (
	"errors"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// recorder keeps every write it gets; block, when set, holds each write.
type recorder struct {
	mu     sync.Mutex
	writes []string
	block  chan struct{}
	err    error
}

func (r *recorder) Write(p []byte) (int, error) {
	if r.block != nil {
		<-r.block
	}
	r.mu.Lock()
	defer r.mu.Unlock()
	r.writes = append(r.writes, string(p))
	return len(p), r.err
}

func (r *recorder) got() []string {
	r.mu.Lock()
	defer r.mu.Unlock()
	return append([]string(nil), r.writes...)
}

// x/term's writes for one line leave as one write. The delay is long so
// that no timer can split them on a loaded host; the next test covers the
// timer.
func TestBatchCoalescesSmallWrites(t *testing.T) {
	r := &recorder{}
	b := newBatchWriter(r, time.Hour)
	for _, s := range []string{"00000000  00 00", "\r\n", "hr> "} {
		n, err := b.Write([]byte(s))
		require.NoError(t, err)
		require.Equal(t, len(s), n)
	}
	assert.Empty(t, r.got(), "held until the delay or a flush")
	require.NoError(t, b.Flush())
	assert.Equal(t, []string{"00000000  00 00\r\nhr> "}, r.got())
}

// A batch nobody flushes leaves by itself once the delay is up.
func TestBatchLeavesAfterTheDelay(t *testing.T) {
	r := &recorder{}
	b := newBatchWriter(r, time.Millisecond)
	_, err := b.Write([]byte("hr> "))
	require.NoError(t, err)
	require.Eventually(t, func() bool { return len(r.got()) > 0 }, wait, time.Millisecond)
	assert.Equal(t, []string{"hr> "}, r.got())
}

// A full batch is written by the writer itself, before Write returns.
func TestBatchFullIsWrittenAtOnce(t *testing.T) {
	r := &recorder{}
	b := newBatchWriter(r, time.Hour)
	big := strings.Repeat("x", batchMax)
	_, err := b.Write([]byte(big))
	require.NoError(t, err)
	assert.Equal(t, []string{big}, r.got())
	_, err = b.Write([]byte("tail"))
	require.NoError(t, err)
	require.NoError(t, b.Flush())
	assert.Equal(t, []string{big, "tail"}, r.got())
}

// A stalled peer blocks the writer once a batch is full: memory stays
// bounded and the session feels the back-pressure.
func TestBatchKeepsBackPressure(t *testing.T) {
	r := &recorder{block: make(chan struct{})}
	b := newBatchWriter(r, time.Hour)
	done := make(chan struct{})
	go func() {
		b.Write([]byte(strings.Repeat("x", batchMax)))
		close(done)
	}()
	select {
	case <-done:
		t.Fatal("a full batch returned while the peer was stalled")
	case <-time.After(50 * time.Millisecond):
	}
	close(r.block)
	select {
	case <-done:
	case <-time.After(wait):
		t.Fatal("writer still blocked after the peer resumed")
	}
}

// Once the channel fails, writes fail with its error.
func TestBatchReportsWriteError(t *testing.T) {
	broken := errors.New("channel closed")
	r := &recorder{err: broken}
	b := newBatchWriter(r, time.Hour)
	_, err := b.Write([]byte("a"))
	require.NoError(t, err)
	assert.ErrorIs(t, b.Flush(), broken)
	_, err = b.Write([]byte("b"))
	assert.ErrorIs(t, err, broken)
	assert.Equal(t, []string{"a"}, r.got())
}
