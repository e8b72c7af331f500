package console

import (
	"fmt"
	"io"
	"sync"
)

// logQueue bounds what one session may lag behind before its messages drop.
const logQueue = 64

// Log fans what actors and the controller print out to every interactive
// session, on the UART and over SSH alike; with no session attached it goes
// to Fallback. Each session has its own queue and writer goroutine, so a
// stalled client can never block the actor that prints: when its queue is
// full, messages are dropped and the count is reported once it drains.
type Log struct {
	Fallback io.Writer

	mu    sync.Mutex
	sinks []*sink
}

type sink struct {
	w       io.Writer
	q       chan []byte
	mu      sync.Mutex
	dropped int
}

// Attach adds w (a session's output) until detach is called.
func (l *Log) Attach(w io.Writer) (detach func()) {
	s := &sink{w: w, q: make(chan []byte, logQueue)}
	l.mu.Lock()
	l.sinks = append(l.sinks, s)
	l.mu.Unlock()
	go s.drain()
	var once sync.Once
	return func() {
		once.Do(func() {
			l.mu.Lock()
			for i, x := range l.sinks {
				if x == s {
					l.sinks = append(l.sinks[:i], l.sinks[i+1:]...)
					break
				}
			}
			l.mu.Unlock()
			close(s.q)
		})
	}
}

// Write queues p for every attached session; it never blocks on one.
func (l *Log) Write(p []byte) (int, error) {
	l.mu.Lock()
	defer l.mu.Unlock()
	if len(l.sinks) == 0 {
		if l.Fallback == nil {
			return len(p), nil
		}
		return l.Fallback.Write(p)
	}
	msg := append([]byte(nil), p...)
	for _, s := range l.sinks {
		select {
		case s.q <- msg:
		default:
			s.mu.Lock()
			s.dropped++
			s.mu.Unlock()
		}
	}
	return len(p), nil
}

func (s *sink) drain() {
	for msg := range s.q {
		s.mu.Lock()
		n := s.dropped
		s.dropped = 0
		s.mu.Unlock()
		if n > 0 {
			fmt.Fprintf(s.w, "console: %d messages dropped (this session was too slow)\n", n)
		}
		s.w.Write(msg)
	}
}
