// Package fakeclock is a manual actors.Clock for tests: time moves only when
// the test calls Advance, and the test can wait until the code under test
// has armed its timers, so that timed behaviour (sleeps, heartbeats, stop
// timeouts, backoff, policy decay) is checked exactly and deterministically,
// as suture's tests do by replacing its clock hooks.
package fakeclock

import (
	"slices"
	"sync"
	"time"

	"github.com/hotrestart/tamago-hr/actors"
)

// Clock is a manual clock. Safe for concurrent use.
type Clock struct {
	mu      sync.Mutex
	now     time.Time
	timers  []*timer
	changed chan struct{} // closed and replaced whenever a timer is armed
}

// New returns a clock set to an arbitrary fixed instant.
func New() *Clock {
	return &Clock{now: time.Date(2000, 1, 1, 0, 0, 0, 0, time.UTC), changed: make(chan struct{})}
}

var _ actors.Clock = (*Clock)(nil)

type timer struct {
	c    *Clock
	when time.Time
	ch   chan time.Time
	fn   func() // AfterFunc's; then ch is nil
}

// Now returns the clock's time.
func (c *Clock) Now() time.Time {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.now
}

// NewTimer arms a timer d from now; d <= 0 fires at once.
func (c *Clock) NewTimer(d time.Duration) actors.Timer {
	c.mu.Lock()
	defer c.mu.Unlock()
	t := &timer{c: c, when: c.now.Add(d), ch: make(chan time.Time, 1)}
	if d <= 0 {
		t.ch <- c.now
		return t
	}
	c.timers = append(c.timers, t)
	close(c.changed)
	c.changed = make(chan struct{})
	return t
}

// AfterFunc arms a timer d from now that calls f; Advance calls it, after
// releasing the clock, before it returns.
func (c *Clock) AfterFunc(d time.Duration, f func()) actors.FuncTimer {
	c.mu.Lock()
	defer c.mu.Unlock()
	t := &timer{c: c, fn: f}
	c.armLocked(t, d)
	return t
}

func (c *Clock) armLocked(t *timer, d time.Duration) {
	t.when = c.now.Add(d)
	c.timers = append(c.timers, t)
	close(c.changed)
	c.changed = make(chan struct{})
}

func (t *timer) C() <-chan time.Time { return t.ch }

// Reset arms an AfterFunc timer again, d from now.
func (t *timer) Reset(d time.Duration) bool {
	armed := t.Stop()
	t.c.mu.Lock()
	defer t.c.mu.Unlock()
	t.c.armLocked(t, d)
	return armed
}

func (t *timer) Stop() bool {
	t.c.mu.Lock()
	defer t.c.mu.Unlock()
	i := slices.Index(t.c.timers, t)
	if i < 0 {
		return false
	}
	t.c.timers = slices.Delete(t.c.timers, i, i+1)
	return true
}

// Advance moves the clock by d and fires, in deadline order, every timer
// due by then.
func (c *Clock) Advance(d time.Duration) {
	c.mu.Lock()
	c.now = c.now.Add(d)
	slices.SortStableFunc(c.timers, func(a, b *timer) int { return a.when.Compare(b.when) })
	n := 0
	var fns []func()
	for n < len(c.timers) && !c.timers[n].when.After(c.now) {
		if t := c.timers[n]; t.fn != nil {
			fns = append(fns, t.fn)
		} else {
			t.ch <- t.when
		}
		n++
	}
	c.timers = slices.Delete(c.timers, 0, n)
	c.mu.Unlock()
	for _, f := range fns {
		f()
	}
}

// Pending is the number of armed timers.
func (c *Clock) Pending() int {
	c.mu.Lock()
	defer c.mu.Unlock()
	return len(c.timers)
}

// WaitTimers blocks until at least n timers are armed, or until the real
// time limit passes (a guard against a hung test, not a timing assumption);
// false on the limit.
func (c *Clock) WaitTimers(n int, limit time.Duration) bool {
	guard := time.NewTimer(limit)
	defer guard.Stop()
	for {
		c.mu.Lock()
		if len(c.timers) >= n {
			c.mu.Unlock()
			return true
		}
		ch := c.changed
		c.mu.Unlock()
		select {
		case <-ch:
		case <-guard.C:
			return false
		}
	}
}
