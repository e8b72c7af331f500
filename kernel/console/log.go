package console

import (
	"fmt"
	"io"
	"sync"
	"time"
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
	serial  bool // the serial console's: also hears Serial's lines
	q       chan entry
	mu      sync.Mutex
	dropped int
}

// Attach adds w (a session's output) until detach is called.
func (l *Log) Attach(w io.Writer) (detach func()) { return l.attach(w, false) }

// AttachSerial is Attach for the serial console, the board's own log: it
// also hears what is written to Serial.
func (l *Log) AttachSerial(w io.Writer) (detach func()) { return l.attach(w, true) }

func (l *Log) attach(w io.Writer, serial bool) (detach func()) {
	s := &sink{w: w, serial: serial, q: make(chan entry, logQueue)}
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
func (l *Log) Write(p []byte) (int, error) { return l.write(p, false) }

// Serial returns a writer for lines that concern the board's operator
// only, not every client (another client's login): they go to the serial
// console (AttachSerial), or to Fallback when it has none.
func (l *Log) Serial() io.Writer { return serialLog{l} }

type serialLog struct{ l *Log }

func (s serialLog) Write(p []byte) (int, error) { return s.l.write(p, true) }

func (l *Log) write(p []byte, serialOnly bool) (int, error) {
	l.mu.Lock()
	defer l.mu.Unlock()
	n := 0
	for _, s := range l.sinks {
		if s.serial || !serialOnly {
			n++
		}
	}
	if n == 0 {
		if l.Fallback == nil {
			return len(p), nil
		}
		return l.Fallback.Write(p)
	}
	msg := append([]byte(nil), p...)
	for _, s := range l.sinks {
		if serialOnly && !s.serial {
			continue
		}
		select {
		case s.q <- entry{msg: msg}:
		default:
			s.mu.Lock()
			s.dropped++
			s.mu.Unlock()
		}
	}
	return len(p), nil
}

// entry is one message, or (done set) a flush marker.
type entry struct {
	msg  []byte
	done chan struct{}
}

func (s *sink) drain() {
	for e := range s.q {
		if e.done != nil {
			close(e.done)
			continue
		}
		s.mu.Lock()
		n := s.dropped
		s.dropped = 0
		s.mu.Unlock()
		if n > 0 {
			fmt.Fprintf(s.w, "console: %d messages dropped (this session was too slow)\n", n)
		}
		s.w.Write(e.msg)
	}
}

// Flush waits until every session has written what was queued before the
// call, or until deadline fires; it reports whether all of them did. A site
// restart flushes before the hot reboot, so its last line reaches the UART
// and the crash log; a stalled session costs at most the deadline.
func (l *Log) Flush(deadline <-chan time.Time) bool {
	// markers are queued under l.mu, so no session is detached (its queue
	// closed) meanwhile; writers wait at most until deadline
	l.mu.Lock()
	var marks []chan struct{}
	for _, s := range l.sinks {
		done := make(chan struct{})
		select {
		case s.q <- entry{done: done}:
			marks = append(marks, done)
		case <-deadline:
			l.mu.Unlock()
			return false
		}
	}
	l.mu.Unlock()
	for _, done := range marks {
		select {
		case <-done:
		case <-deadline:
			return false
		}
	}
	return true
}
