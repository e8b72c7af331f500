package actors

import (
	"fmt"
	"time"
)

// Config holds the controller's static tunables (the hrCtrl.* analogs plus
// the stop and backoff times that Go needs because goroutines cannot be
// killed). The kernel builds it from its tunables table; DefaultConfig gives
// the same defaults.
type Config struct {
	// MaxActors bounds the registered restartable names (hrCtrl.maxActors):
	// a name stays registered until its group terminates or is killed.
	MaxActors int
	// MaxGroups is the group id range 0 … MaxGroups-1 (hrCtrl.maxGroups).
	MaxGroups int
	// MaxBadness and Interval are the restart policy (hrCtrl.maxBadness,
	// hrCtrl.interval): every abnormal termination adds 1 to the group's
	// badness, which first decays by 1 for every full Interval since the
	// group's previous failure; a badness above MaxBadness is a site restart
	// instead of a group restart. See the package documentation.
	MaxBadness int
	Interval   time.Duration
	// StopTimeout is how long members get to return once told to stop; a
	// member still running after it makes its group inconsistent, which is a
	// site restart request.
	StopTimeout time.Duration
	// MinRunTime and MaxBackoff throttle crash loops: when the failing member
	// ran less than MinRunTime, the group restart waits MinRunTime, doubled
	// for every further quick failure in a row, capped at MaxBackoff. Zero
	// in either disables the delay.
	MinRunTime time.Duration
	MaxBackoff time.Duration
}

// Defaults, equal to the kernel's tunables table.
const (
	DefaultMaxActors   = 64
	DefaultMaxGroups   = 16
	DefaultMaxBadness  = 3
	DefaultInterval    = 10 * time.Second
	DefaultStopTimeout = 2 * time.Second
	DefaultMinRunTime  = time.Second
	DefaultMaxBackoff  = 5 * time.Second
)

// MaxMaxGroups bounds MaxGroups so that every group id fits the record
// format (u16) and a group key stays within pmm.MaxKeyLen.
const MaxMaxGroups = 1 << 16

// DefaultConfig returns the default tunables.
func DefaultConfig() Config {
	return Config{
		MaxActors:   DefaultMaxActors,
		MaxGroups:   DefaultMaxGroups,
		MaxBadness:  DefaultMaxBadness,
		Interval:    DefaultInterval,
		StopTimeout: DefaultStopTimeout,
		MinRunTime:  DefaultMinRunTime,
		MaxBackoff:  DefaultMaxBackoff,
	}
}

// Validate reports the first tunable outside its range.
func (c Config) Validate() error {
	switch {
	case c.MaxActors < 1:
		return fmt.Errorf("%w: MaxActors %d (want at least 1)", ErrBadConfig, c.MaxActors)
	case c.MaxGroups < 1 || c.MaxGroups > MaxMaxGroups:
		return fmt.Errorf("%w: MaxGroups %d (want 1..%d)", ErrBadConfig, c.MaxGroups, MaxMaxGroups)
	case c.MaxBadness < 0:
		return fmt.Errorf("%w: MaxBadness %d (want at least 0)", ErrBadConfig, c.MaxBadness)
	case c.Interval <= 0:
		return fmt.Errorf("%w: Interval %v (want more than 0)", ErrBadConfig, c.Interval)
	case c.StopTimeout <= 0:
		return fmt.Errorf("%w: StopTimeout %v (want more than 0)", ErrBadConfig, c.StopTimeout)
	case c.MinRunTime < 0:
		return fmt.Errorf("%w: MinRunTime %v (want at least 0)", ErrBadConfig, c.MinRunTime)
	case c.MaxBackoff < 0:
		return fmt.Errorf("%w: MaxBackoff %v (want at least 0)", ErrBadConfig, c.MaxBackoff)
	}
	return nil
}
