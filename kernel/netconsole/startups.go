package netconsole

import (
	"fmt"
	"net"
	"sync"
	"sync/atomic"
	"time"
)

// Connections that have not logged in yet ("startups", as OpenSSH calls
// them) have a budget of their own, apart from the sessions of those who
// did. A full budget never refuses the newcomer, which would let anyone
// who can reach the port lock the key holder out by holding connections
// open. It evicts a waiting connection instead: the oldest of those that
// have not sent a byte after speakWithin, else, when none is silent, the
// oldest of those older than speakWithin. Until one qualifies, the accept
// loop waits, and newcomers wait in the listener's backlog, first come
// first served.
//
// An SSH client speaks at once (its version line), so a peer that holds
// silent connections, however many and however fast it reopens them, only
// ever evicts its own; and a newcomer waits behind at most the connections
// that arrived before it, at MaxStartups per speakWithin. A peer that
// speaks on each connection is bounded by the budget and the login grace
// time, as by OpenSSH's MaxStartups.

// speakWithin is how long a new connection is safe from eviction: time
// for a client's first bytes to arrive and be read, even on a loaded board.
const speakWithin = 250 * time.Millisecond

// startup is a connection waiting for its login. Reads go through it to
// tell a client that spoke from a silent one.
type startup struct {
	net.Conn
	from    string // the peer's address, kept: a reset connection forgets it
	since   time.Time
	spoke   atomic.Bool
	evicted bool // guarded by startups.mu
}

func (s *startup) Read(p []byte) (int, error) {
	n, err := s.Conn.Read(p)
	if n > 0 {
		s.spoke.Store(true)
	}
	return n, err
}

// startups is the budget: at most max connections waiting for a login.
type startups struct {
	max   int
	young time.Duration // speakWithin, shorter in tests
	freed chan struct{} // a connection left: room, maybe

	mu   sync.Mutex
	wait []*startup // oldest first
}

func newStartups(max int, young time.Duration) *startups {
	return &startups{max: max, young: young, freed: make(chan struct{}, 1)}
}

// admit enters c, waiting if need be until there is room or a connection
// to evict, and returns it with the connection it evicted (nil when there
// was room), which the caller closes.
func (ss *startups) admit(c net.Conn) (s, victim *startup) {
	for {
		ss.mu.Lock()
		now := time.Now()
		i, retry := ss.victim(now)
		if i >= 0 || len(ss.wait) < ss.max {
			if i >= 0 {
				victim = ss.wait[i]
				victim.evicted = true
				ss.wait = append(ss.wait[:i], ss.wait[i+1:]...)
			}
			s = &startup{Conn: c, from: fmt.Sprint(c.RemoteAddr()), since: now}
			ss.wait = append(ss.wait, s)
			ss.mu.Unlock()
			return s, victim
		}
		ss.mu.Unlock()
		t := time.NewTimer(retry)
		select {
		case <-t.C:
		case <-ss.freed:
			t.Stop()
		}
	}
}

// victim picks the connection to evict when the budget is full: its index,
// or -1 and how long until one may qualify.
func (ss *startups) victim(now time.Time) (int, time.Duration) {
	if len(ss.wait) < ss.max {
		return -1, 0
	}
	silent := -1
	for i, w := range ss.wait {
		if !w.spoke.Load() {
			silent = i
			break
		}
	}
	i := 0 // all spoke: the oldest
	if silent >= 0 {
		i = silent
	}
	if age := now.Sub(ss.wait[i].since); age < ss.young {
		return -1, ss.young - age
	}
	return i, 0
}

// done takes s out of the budget once its login succeeded or failed. It
// reports whether s had been evicted.
func (ss *startups) done(s *startup) (evicted bool) {
	ss.mu.Lock()
	defer ss.mu.Unlock()
	for i, w := range ss.wait {
		if w == s {
			ss.wait = append(ss.wait[:i], ss.wait[i+1:]...)
			select {
			case ss.freed <- struct{}{}:
			default:
			}
			break
		}
	}
	return s.evicted
}

// waiting is how many connections wait for their login.
func (ss *startups) waiting() int {
	ss.mu.Lock()
	defer ss.mu.Unlock()
	return len(ss.wait)
}
