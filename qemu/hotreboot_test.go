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

// TestRestartLatency measures, in one QEMU run of the test image, host time
// from the trigger to "all groups running" and to the prompt, for a cold
// boot (QEMU start; the startup script starts groups 5 and 6), a WDOG warm
// reset and a hot reboot (the two groups resumed). It is a measurement, not
// a timed test: make test prints the figures, the README quotes them.
func TestRestartLatency(t *testing.T) {
	type lap struct{ groups, prompt time.Duration }
	t0 := time.Now()
	s := testImage(t)
	s.expect(`hr: cold boot 1`)
	s.expect(`hr: ready in`)
	cold := lap{prompt: time.Since(t0)}
	cold.groups = cold.prompt // the startup script ran before "ready"
	s.expect(prompt)
	require.Len(t, s.aidsOf(5), 1)
	measure := func(cmd string) lap {
		var g, p []time.Duration
		for i := 0; i < 5; i++ {
			t0 := time.Now()
			require.NoError(t, s.Send(cmd))
			s.expect(`hr: 2 groups resumed`)
			g = append(g, time.Since(t0))
			s.expect(`hr: ready in`)
			p = append(p, time.Since(t0))
			s.expect(prompt)
		}
		return lap{median(g), median(p)}
	}
	hot := measure("restart")
	warm := measure("reset")
	ms := func(d time.Duration) string { return fmt.Sprintf("%.1f ms", float64(d)/1e6) }
	t.Logf("latency (host clock, median of 5)   to all groups running   to prompt")
	t.Logf("  cold boot (QEMU start)           %-22s  %s", ms(cold.groups), ms(cold.prompt))
	t.Logf("  WDOG warm reset                  %-22s  %s", ms(warm.groups), ms(warm.prompt))
	t.Logf("  hot reboot                       %-22s  %s", ms(hot.groups), ms(hot.prompt))
	t.Logf("  ratios to all groups running: hot/WDOG %.2f, hot/cold %.2f, WDOG/cold %.2f",
		float64(hot.groups)/float64(warm.groups), float64(hot.groups)/float64(cold.groups), float64(warm.groups)/float64(cold.groups))
	assert.Len(t, s.aidsOf(5), 1)
	assert.Len(t, s.aidsOf(6), 1)
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
