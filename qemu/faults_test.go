package qemu

import (
	"fmt"
	"strconv"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func itoa(n int) string { return strconv.Itoa(n) }

// A CPU fault or a Go runtime panic in an actor restarts its group only:
// the other group keeps its aid.
func TestFaultsRestartOnlyTheGroup(t *testing.T) {
	s := boot(t)
	s.banner()
	b := s.arun("-g 2 idle")
	// one group per kind: six failures in one group would rightly trip the
	// restart policy (maxBadness 3)
	for i, kind := range []string{"nil", "undef", "div0", "panic", "error", "exit"} {
		gid := 8 + i
		a := s.arun(fmt.Sprintf("-g %d idle", gid))
		assert.Contains(t, s.run("inject "+itoa(a)+" "+kind), "injected")
		s.waitAids(gid, 1, []int{a})
		assert.Equal(t, []int{b}, s.aidsOf(2), "%s: group 2 must keep its aid", kind)
	}
	out := s.Transcript()
	assert.Contains(t, out, "DATA_ABORT")
	assert.Contains(t, out, "UNDEFINED")
	assert.Contains(t, out, "divide by zero")
	assert.Contains(t, s.run("bank"), "boot: 1", "no site restart happened")
}

// A fault outside any actor restarts the site; the banner names it and the
// groups come back by themselves.
func TestSystemFaultRestartsSite(t *testing.T) {
	for _, kind := range []string{"nil", "undef", "panic"} {
		t.Run(kind, func(t *testing.T) {
			s := boot(t)
			s.banner()
			a := s.arun("-g 3 idle")
			require.NoError(t, s.Send("crash "+kind))
			state, n, why := s.banner()
			assert.Equal(t, "warm", state)
			assert.Equal(t, 2, n)
			switch kind {
			case "panic":
				assert.Contains(t, why, "fatal runtime error")
			case "nil":
				// the function, not only the PC
				assert.Equal(t, "warm reset after CPU fault outside any actor in github.com/hotrestart/tamago-hr/kernel/command.crash", why)
			case "undef":
				assert.Equal(t, "warm reset after CPU fault outside any actor in github.com/hotrestart/tamago-hr/kernel/trap.UndefinedInstruction", why)
			}
			s.waitAids(3, 1, []int{a})
			if kind == "panic" {
				assert.Contains(t, s.run("dmesg"), "crash: panic in the console goroutine")
			}
		})
	}
}

// An actor that spins starves the scheduler: WDOG1 resets the board and the
// next boot says so.
func TestSpinningActorTriggersWatchdog(t *testing.T) {
	s := boot(t)
	s.banner()
	// after a hot reboot, and past the first services (every timeout/4):
	// QEMU's watchdog model switched itself off at the first WCR store
	// after arming, which the services and the hand-over made
	require.NoError(t, s.Send("restart"))
	s.banner()
	a := s.arun("-g 4 idle")
	time.Sleep(2500 * time.Millisecond)
	require.NoError(t, s.Send("inject "+itoa(a)+" spin"))
	state, n, why := s.banner()
	assert.Equal(t, "warm", state)
	assert.Equal(t, 3, n)
	assert.Contains(t, why, "watchdog expiry")
	assert.Contains(t, s.run("bank"), "unexpected: 1")
	s.waitAids(4, 1, []int{a})
}

// A heartbeat that stops is an abnormal termination.
func TestMissedHeartbeatRestartsGroup(t *testing.T) {
	s := boot(t)
	s.banner()
	a := s.arun("-g 7 idle")
	s.run("inject " + itoa(a) + " hang")
	s.waitAids(7, 1, []int{a})
}
