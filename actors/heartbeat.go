package actors

import (
	"fmt"
	"sync"
	"sync/atomic"
	"time"
)

// heartbeat is an actor's optional liveness deadline. Beat only stores a
// new deadline (an atomic, no timer work: it may be called in a hot loop);
// a watchdog goroutine sleeps until the deadline it last saw and, when it
// wakes, either finds a later deadline and sleeps again, or declares the
// miss.
type heartbeat struct {
	period   atomic.Int64  // ns; 0 is off
	deadline atomic.Int64  // controller uptime, ns
	started  atomic.Bool   // the watchdog goroutine runs
	kick     chan struct{} // capacity 1: the period changed; made by once
	once     sync.Once     // makes kick at the first SetHeartbeat: most actors never arm one
}

// SetHeartbeat arms (d > 0) or disarms (d <= 0) the heartbeat: from now
// on, Beat must be called at least every d, else the actor is terminated
// abnormally (a restartable actor's group restarts; an ordinary actor is
// stopped).
func (x *Context) SetHeartbeat(d time.Duration) {
	d = max(d, 0)
	x.hb.once.Do(func() { x.hb.kick = make(chan struct{}, 1) })
	x.hb.deadline.Store(int64(x.c.now() + d))
	x.hb.period.Store(int64(d))
	if d > 0 && x.hb.started.CompareAndSwap(false, true) {
		go x.c.watch(x)
		return
	}
	select {
	case x.hb.kick <- struct{}{}:
	default:
	}
}

// HeartbeatPeriod is the armed heartbeat period, 0 when none is armed.
func (x *Context) HeartbeatPeriod() time.Duration { return time.Duration(x.hb.period.Load()) }

// Beat pushes the heartbeat deadline one period ahead.
func (x *Context) Beat() {
	if p := x.hb.period.Load(); p > 0 {
		x.hb.deadline.Store(int64(x.c.now()) + p)
	}
}

// watch is the watchdog of one incarnation; it ends with it.
func (c *Controller) watch(x *Context) {
	c.mu.Lock()
	finished := c.finishedLocked(x)
	c.mu.Unlock()
	for {
		p := time.Duration(x.hb.period.Load())
		if p == 0 {
			select {
			case <-x.hb.kick:
				continue
			case <-x.stop:
				return
			case <-finished:
				return
			}
		}
		left := time.Duration(x.hb.deadline.Load()) - c.now()
		if left <= 0 {
			c.missed(x, p)
			return
		}
		t := c.clock.NewTimer(left)
		select {
		case <-t.C():
		case <-x.hb.kick:
			t.Stop()
		case <-x.stop:
			t.Stop()
			return
		case <-finished:
			t.Stop()
			return
		}
	}
}

// missed handles a missed deadline: an abnormal termination.
func (c *Controller) missed(x *Context, period time.Duration) {
	_ = c.locked(func(p *post) error {
		if x.ended || x.stopping {
			return nil
		}
		cause := fmt.Sprintf("missed heartbeat (period %v)", period)
		if x.m == nil {
			c.stopLocked(x)
			p.logf("hr: aid %d %s: %s: stopped (not restartable)", x.aid, x.name, cause)
			return nil
		}
		c.failLocked(x.m.g, x, cause, p)
		return nil
	})
}
