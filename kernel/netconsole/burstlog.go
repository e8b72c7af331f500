package netconsole

import (
	"sync"
	"time"
)

// burstLog logs the first of a burst of like events at once and counts the
// rest: a peer failing logins or churning connections by the hundred per
// second writes one line, and one more with the count when the burst is
// over, instead of flooding the console that the operator is reading.
type burstLog struct {
	log    func(format string, args ...any)
	window time.Duration // a burst ends after this long without a line logged

	mu      sync.Mutex
	open    bool // a burst is under way: events are counted, not logged
	counted int
}

// burstWindow is how long after its first line a burst is counted.
const burstWindow = 10 * time.Second

func newBurstLog(log func(string, ...any), window time.Duration) *burstLog {
	return &burstLog{log: log, window: window}
}

func (b *burstLog) logf(format string, args ...any) {
	b.mu.Lock()
	if b.open {
		b.counted++
		b.mu.Unlock()
		return
	}
	b.open = true
	b.mu.Unlock()
	b.log(format, args...)
	time.AfterFunc(b.window, b.close)
}

// close ends the burst, saying how many events it did not log.
func (b *burstLog) close() {
	b.mu.Lock()
	n := b.counted
	b.open, b.counted = false, 0
	b.mu.Unlock()
	if n > 0 {
		b.log("ssh: %d more failed or dropped connection(s) in %v, not logged one by one", n, b.window)
	}
}
