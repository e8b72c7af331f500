package actors

import "time"

// Clock is the controller's only source of time: actor sleeps, heartbeat
// deadlines, stop timeouts, restart backoff and the policy's decay all go
// through it, so that a fake clock drives every timed path in the host tests
// (see the fakeclock package) and nothing depends on real scheduling delays.
type Clock interface {
	Now() time.Time
	NewTimer(d time.Duration) Timer
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

type realTimer struct{ t *time.Timer }

func (r realTimer) C() <-chan time.Time { return r.t.C }
func (r realTimer) Stop() bool          { return r.t.Stop() }
