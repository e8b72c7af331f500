package qemu

import (
	"fmt"
	"strconv"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// Many hot reboots in a row with a bank full of blocks, interleaved with WDOG
// resets and actor faults: every block is verified after each, and the boot
// record tells the paths apart.
func TestHotRebootSoak(t *testing.T) {
	s := boot(t)
	s.banner()
	const blocks = 14 // + boot record, crash log, controller, 4 × 2 group records = 25 of 30
	for i := 0; i < blocks; i++ {
		s.run(fmt.Sprintf("pmm alloc soak%02d %d soak", i, 4096*(1+i%3)))
		s.run(fmt.Sprintf("pmm write soak%02d block-%02d-content", i, i))
	}
	// four groups: each takes one injected fault at most, well inside the
	// restart policy, so every site restart here is one the test asked for
	aids := map[int]int{}
	for g := 1; g <= 4; g++ {
		aids[g] = s.arun(fmt.Sprintf("-g %d idle", g))
	}
	hot, warm := 0, 0
	for round := 1; round <= 12; round++ {
		switch {
		case round%4 == 0:
			require.NoError(t, s.Send("reset"))
			warm++
		default:
			require.NoError(t, s.Send("restart"))
			hot++
		}
		state, n, why := s.banner()
		require.Equal(t, "warm", state)
		require.Equal(t, round+1, n)
		if round%4 == 0 {
			assert.Contains(t, why, "warm reset")
		} else {
			assert.Contains(t, why, "hot reboot")
		}
		assert.Contains(t, s.run("pmm verify"), "bank ok")
		for i := 0; i < blocks; i += 7 {
			assert.Contains(t, s.run(fmt.Sprintf("pmm dump soak%02d 32", i)), fmt.Sprintf("block-%02d-con", i))
		}
		for g := 1; g <= 4; g++ {
			aids[g] = s.waitAids(g, 1, []int{aids[g]})[0]
		}
		if round%3 == 0 {
			g := round / 3
			s.run("inject " + strconv.Itoa(aids[g]) + " nil")
			aids[g] = s.waitAids(g, 1, []int{aids[g]})[0]
		}
	}
	bank := s.run("bank")
	assert.Contains(t, bank, fmt.Sprintf("hot reboots: %d, warm resets: %d", hot, warm))
	ls := s.run("pmm ls")
	for i := 0; i < blocks; i++ {
		assert.Contains(t, ls, fmt.Sprintf("soak%02d", i))
	}
}

// TestRestartLatency measures, in one run, host time from the command to
// "all groups running" for a cold boot, a WDOG warm reset and a hot reboot,
// with two groups to bring back. It is a measurement, not a timed test: the
// figures go to the README (make test prints them).
func TestRestartLatency(t *testing.T) {
	start := time.Now()
	s := boot(t)
	s.banner()
	cold := time.Since(start)
	s.arun("-g 1 idle")
	s.arun("-g 2 idle")
	measure := func(cmd string) time.Duration {
		var best []time.Duration
		for i := 0; i < 5; i++ {
			t0 := time.Now()
			require.NoError(t, s.Send(cmd))
			s.expect(`hr: 2 groups resumed`)
			best = append(best, time.Since(t0))
			s.expect(prompt)
		}
		return median(best)
	}
	hot := measure("restart")
	warm := measure("reset")
	t.Logf("to all groups running (host clock, median of 5): cold boot %v, WDOG warm reset %v, hot reboot %v; hot/warm %.2f, hot/cold %.2f",
		cold, warm, hot, float64(hot)/float64(warm), float64(hot)/float64(cold))
}

func median(d []time.Duration) time.Duration {
	for i := range d {
		for j := i + 1; j < len(d); j++ {
			if d[j] < d[i] {
				d[i], d[j] = d[j], d[i]
			}
		}
	}
	return d[len(d)/2]
}
