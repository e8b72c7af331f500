package fakeclock_test

import (
	"testing"
	"time"

	"github.com/stretchr/testify/assert"

	"github.com/hotrestart/tamago-hr/actors/fakeclock"
)

func TestTimersFireInOrderWhenDue(t *testing.T) {
	c := fakeclock.New()
	start := c.Now()
	a := c.NewTimer(2 * time.Second)
	b := c.NewTimer(time.Second)
	s := c.NewTimer(3 * time.Second)
	assert.Equal(t, 3, c.Pending())
	assert.True(t, s.Stop())
	assert.False(t, s.Stop())
	c.Advance(time.Second - 1)
	select {
	case <-b.C():
		t.Fatal("fired early")
	default:
	}
	c.Advance(5 * time.Second)
	assert.Equal(t, start.Add(time.Second), <-b.C())
	assert.Equal(t, start.Add(2*time.Second), <-a.C())
	assert.Zero(t, c.Pending())
	assert.False(t, a.Stop(), "already fired")
	assert.Equal(t, start.Add(6*time.Second-1), c.Now())

	now := c.NewTimer(0)
	assert.Equal(t, c.Now(), <-now.C(), "d <= 0 fires at once")
}

func TestWaitTimers(t *testing.T) {
	c := fakeclock.New()
	assert.False(t, c.WaitTimers(1, time.Millisecond))
	go c.NewTimer(time.Second)
	assert.True(t, c.WaitTimers(1, 10*time.Second))
}

func TestAfterFuncIsCalledByAdvance(t *testing.T) {
	c := fakeclock.New()
	calls := 0
	f := c.AfterFunc(time.Second, func() { calls++ })
	c.Advance(time.Second - 1)
	assert.Zero(t, calls)
	assert.True(t, f.Reset(2*time.Second), "it was armed")
	c.Advance(time.Second)
	assert.Zero(t, calls, "Reset moved the deadline 2 s from its call")
	c.Advance(time.Second)
	assert.Equal(t, 1, calls)
	assert.Zero(t, c.Pending())
	assert.False(t, f.Stop(), "already fired")
	assert.False(t, f.Reset(time.Second), "it had fired")
	assert.True(t, f.Stop())
	c.Advance(time.Hour)
	assert.Equal(t, 1, calls, "stopped")
}
