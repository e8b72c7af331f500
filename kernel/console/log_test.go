package console

import (
	"bytes"
	"fmt"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// syncBuf is a goroutine-safe buffer.
type syncBuf struct {
	mu sync.Mutex
	b  bytes.Buffer
}

func (s *syncBuf) Write(p []byte) (int, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.Write(p)
}

func (s *syncBuf) String() string {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.String()
}

func eventually(t *testing.T, cond func() bool) {
	t.Helper()
	require.Eventually(t, cond, 2*time.Second, time.Millisecond)
}

func TestLogFansOutToEverySession(t *testing.T) {
	var fallback, a, b syncBuf
	l := &Log{Fallback: &fallback}
	l.Write([]byte("early\n"))
	assert.Equal(t, "early\n", fallback.String(), "no session yet")

	detachA := l.Attach(&a)
	detachB := l.Attach(&b)
	l.Write([]byte("both\n"))
	eventually(t, func() bool { return a.String() == "both\n" && b.String() == "both\n" })

	detachA()
	detachA() // idempotent
	l.Write([]byte("only b\n"))
	eventually(t, func() bool { return strings.HasSuffix(b.String(), "only b\n") })
	assert.Equal(t, "both\n", a.String())
	detachB()
	l.Write([]byte("late\n"))
	assert.Equal(t, "early\nlate\n", fallback.String())
}

// blockingWriter stalls until released, like an SSH client that stopped
// reading.
type blockingWriter struct {
	release chan struct{}
	syncBuf
}

func (w *blockingWriter) Write(p []byte) (int, error) {
	<-w.release
	return w.syncBuf.Write(p)
}

func TestStalledSessionNeverBlocksWriters(t *testing.T) {
	var fast syncBuf
	slow := &blockingWriter{release: make(chan struct{})}
	l := &Log{}
	l.Attach(slow)
	l.Attach(&fast)
	done := make(chan struct{})
	go func() {
		for i := 0; i < 10*logQueue; i++ {
			l.Write([]byte("x\n"))
		}
		close(done)
	}()
	select {
	case <-done:
	case <-time.After(2 * time.Second):
		t.Fatal("Write blocked on a stalled session")
	}
	close(slow.release)
	// once their queues have room again, sessions get new messages, the
	// drop report first
	eventually(t, func() bool {
		l.Write([]byte("after\n"))
		return strings.Contains(slow.String(), "after\n") && strings.Contains(fast.String(), "after\n")
	})
	out := slow.String()
	assert.Less(t, strings.Count(out, "x\n"), 10*logQueue, "the overflow was dropped")
	assert.Less(t, strings.Index(out, "messages dropped (this session was too slow)"), strings.Index(out, "after\n"))
	assert.Contains(t, out, "messages dropped")
}

// slowWriter takes its time: what Flush waits for.
type slowWriter struct{ syncBuf }

func (w *slowWriter) Write(p []byte) (int, error) {
	time.Sleep(time.Millisecond)
	return w.syncBuf.Write(p)
}

func TestFlushWaitsForEverySession(t *testing.T) {
	var l Log
	a, b := &slowWriter{}, &slowWriter{}
	l.Attach(a)
	l.Attach(b)
	for i := 0; i < 20; i++ {
		fmt.Fprintf(&l, "line %d\n", i)
	}
	fmt.Fprintf(&l, "hr: site restart: last words\n")
	require.True(t, l.Flush(make(chan time.Time)), "no deadline: every session drains")
	assert.True(t, strings.HasSuffix(a.String(), "hr: site restart: last words\n"))
	assert.True(t, strings.HasSuffix(b.String(), "hr: site restart: last words\n"))
}

func TestFlushBoundedByDeadline(t *testing.T) {
	var l Log
	stuck := &blockingWriter{release: make(chan struct{})}
	l.Attach(stuck)
	fmt.Fprintf(&l, "never written\n")
	deadline := make(chan time.Time, 1)
	deadline <- time.Time{}
	assert.False(t, l.Flush(deadline), "a stalled session cannot hold the restart")
	close(stuck.release)
}

// Lines for the operator (Serial) reach the serial console only, or the
// fallback when it is not attached; other lines reach every session.
func TestSerialLinesReachOnlyTheSerialConsole(t *testing.T) {
	var fallback, uart, remote syncBuf
	l := &Log{Fallback: &fallback}
	fmt.Fprint(l.Serial(), "early login\n")
	assert.Equal(t, "early login\n", fallback.String())

	detach := l.Attach(&remote)
	fmt.Fprint(l.Serial(), "login while only a remote session is attached\n")
	assert.Equal(t, "early login\nlogin while only a remote session is attached\n", fallback.String())

	defer l.AttachSerial(&uart)()
	fmt.Fprint(l.Serial(), "login\n")
	fmt.Fprint(l, "actor line\n")
	require.True(t, l.Flush(time.After(2*time.Second)))
	assert.Equal(t, "login\nactor line\n", uart.String())
	assert.Equal(t, "actor line\n", remote.String())
	detach()
}
