package netconsole

import (
	"io"
	"sync"
	"time"
)

// Batching of an interactive session's output. x/term writes one line of
// output as several small writes (the text, "\r\n", the prompt redraw), and
// each write to an SSH channel is one SSH packet and one TCP segment: a
// 20 KB hex dump became ~500 packets of 2–80 bytes, and on the board the
// per-packet cost (encryption, TCP, a frame and its ACK) starved actors
// for seconds. Writes are gathered for batchDelay (or up to batchMax
// bytes) and sent as one.
const (
	batchDelay = 2 * time.Millisecond
	batchMax   = 16 << 10
)

// batchWriter gathers writes to w. A write returns once its bytes are
// queued; a full batch is written by the writer itself, so a stalled peer
// still blocks the writer (back-pressure is kept, memory stays bounded by
// batchMax). After w fails, every write returns that error.
type batchWriter struct {
	w     io.Writer
	delay time.Duration

	mu      sync.Mutex // held while writing to w: one write at a time
	buf     []byte
	pending bool // a timed flush is scheduled
	err     error
}

func newBatchWriter(w io.Writer, delay time.Duration) *batchWriter {
	return &batchWriter{w: w, delay: delay}
}

func (b *batchWriter) Write(p []byte) (int, error) {
	b.mu.Lock()
	defer b.mu.Unlock()
	if b.err != nil {
		return 0, b.err
	}
	b.buf = append(b.buf, p...)
	if len(b.buf) >= batchMax {
		return len(p), b.flushLocked()
	}
	if !b.pending {
		b.pending = true
		time.AfterFunc(b.delay, func() { b.Flush() })
	}
	return len(p), nil
}

// Flush writes what is gathered now.
func (b *batchWriter) Flush() error {
	b.mu.Lock()
	defer b.mu.Unlock()
	b.pending = false
	return b.flushLocked()
}

func (b *batchWriter) flushLocked() error {
	if b.err != nil || len(b.buf) == 0 {
		return b.err
	}
	_, b.err = b.w.Write(b.buf)
	b.buf = b.buf[:0]
	return b.err
}
