package actors

import "time"

// Clock is the controller's only source of time: actor sleeps, heartbeat
// deadlines, stop timeouts, restart backoff and the policy's decay all go
// through it, so that a fake clock drives every timed path in the host tests
// (see the fakeclock package) and nothing depends on real scheduling delays.
type Clock interface {
	Now() time.Time
	NewTimer(d time.Duration) Timer
	// AfterFunc calls f in its own goroutine once d has passed, unless
	// stopped first: a deadline that usually never comes costs no
	// goroutine waiting for it.
	AfterFunc(d time.Duration, f func()) FuncTimer
}

// FuncTimer is a timer made by AfterFunc.
type FuncTimer interface {
	// Reset arms it again, d from now; false if it had fired or was stopped.
	Reset(d time.Duration) bool
	// Stop prevents f from being called; false if it already was (f may
	// then be running) or the timer was stopped.
	Stop() bool
}

// Timer is a one-shot timer: C receives once when it fires.
type Timer interface {
	C() <-chan time.Time
	// Stop prevents the timer from firing; false if it already fired or was
	// stopped.
	Stop() bool
}

// RealClock is the Clock of the firmware: the runtime's time and timers.
type RealClock struct{}

// Now returns time.Now().
func (RealClock) Now() time.Time { return time.Now() }

// NewTimer returns a time.Timer.
func (RealClock) NewTimer(d time.Duration) Timer { return realTimer{time.NewTimer(d)} }

// AfterFunc returns time.AfterFunc(d, f).
func (RealClock) AfterFunc(d time.Duration, f func()) FuncTimer { return time.AfterFunc(d, f) }

type realTimer struct{ t *time.Timer }

func (r realTimer) C() <-chan time.Time { return r.t.C }
func (r realTimer) Stop() bool          { return r.t.Stop() }
