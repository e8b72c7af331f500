package qemu

import (
	"fmt"
	"regexp"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// runtimeStats forces a GC and returns the live heap and goroutine count
// `stats` reports. It waits for those lines, not for the output to settle:
// the soak's groups log without a pause.
func (s *session) runtimeStats() (live, goroutines int) {
	s.t.Helper()
	require.NoError(s.t, s.Send("gc"))
	s.expect(gcRe.String())
	require.NoError(s.t, s.Send("stats"))
	live, _ = strconv.Atoi(s.expect(`heap after last GC: (\d+) bytes`)[1])
	goroutines, _ = strconv.Atoi(s.expect(`goroutines: (\d+)`)[1])
	return live, goroutines
}

// waitFor polls the transcript until it holds text.
func (s *session) waitFor(text string) {
	s.t.Helper()
	deadline := time.Now().Add(2 * time.Minute)
	for !strings.Contains(s.Transcript(), text) {
		require.True(s.t, time.Now().Before(deadline), "no %q", text)
		time.Sleep(200 * time.Millisecond)
	}
}

var groupRestartRe = regexp.MustCompile(`hr: group \d+ restart \d+ \(`)

// waitRestarts polls the transcript until it holds n group restarts.
func (s *session) waitRestarts(n int) {
	s.t.Helper()
	deadline := time.Now().Add(2 * time.Minute)
	for len(groupRestartRe.FindAllStringIndex(s.Transcript(), -1)) < n {
		require.True(s.t, time.Now().Before(deadline), "fewer than %d group restarts", n)
		time.Sleep(200 * time.Millisecond)
	}
}

// The soak: eight groups fail on purpose with every fault kind that
// restarts a group (panic, error, exit, hang, nil, undef, div0; spin is a
// watchdog reset, see TestSpinningActorTriggersWatchdog) until more than
// 1000 group restarts have happened, with 20 site restarts in between. The
// live heap after a forced GC and the goroutine count stay under a bound
// set by the idle system at the start, the bank verifies after every boot,
// and when every group has finished, the bank and the runtime are back to
// where they started.
func TestSoakGroupAndSiteRestarts(t *testing.T) {
	const groups, failures, siteRestarts = 8, 160, 20
	s := start(t, envImage(t, "HR_SOAK_IMAGE")) // badness never escalates
	s.banner()
	live0, g0 := s.runtimeStats()
	stat0 := s.run("pmm stat")
	for g := 1; g <= groups; g++ {
		// the groups started first log without a pause: wait for the
		// answer, not for the output to settle
		require.NoError(t, s.Send(fmt.Sprintf("arun -g %d chaos %d", g, failures)))
		s.expect(`Started aid = \d+`)
	}
	check := func(when string) {
		live, gs := s.runtimeStats()
		assert.LessOrEqual(t, live, live0+256<<10, "%s: live heap %d, idle %d", when, live, live0)
		assert.LessOrEqual(t, gs, g0+4*groups, "%s: goroutines %d, idle %d", when, gs, g0)
		assert.Contains(t, s.run("pmm verify"), "bank ok", when)
	}
	for i := 1; i <= siteRestarts; i++ {
		s.waitRestarts(40 * i)
		require.NoError(t, s.Send("restart"))
		_, n, why := s.banner()
		require.Equal(t, i+1, n)
		require.Contains(t, why, "hot reboot after console restart")
		check(fmt.Sprintf("site restart %d", i))
	}
	// groups finish in any order
	for g := 1; g <= groups; g++ {
		s.waitFor(fmt.Sprintf("chaos: group %d done after %d failures", g, failures))
		s.waitFor(fmt.Sprintf("hr: group %d terminated: every member exited cleanly", g))
	}
	tr := s.Transcript()
	restarts := len(groupRestartRe.FindAllStringIndex(tr, -1))
	t.Logf("%d group restarts, %d site restarts", restarts, siteRestarts)
	assert.GreaterOrEqual(t, restarts, 1000)
	for _, cause := range []string{"panic: injected panic", "error: injected error", "premature exit", "missed heartbeat",
		"cpu fault: DATA_ABORT", "cpu fault: UNDEFINED", "integer divide by zero"} {
		assert.Contains(t, tr, cause)
	}
	live, gs := s.runtimeStats()
	assert.LessOrEqual(t, live, live0+64<<10, "live heap back near idle: %d, idle %d", live, live0)
	assert.Equal(t, g0, gs, "every actor's goroutines are gone")
	assert.Equal(t, stat0, s.run("pmm stat"), "every chaos block freed")
	assert.NotContains(t, s.run("pmm ls"), "chaos.")
	assert.Contains(t, s.run("pmm verify"), "bank ok")
	assert.NotContains(t, tr, "SAFE MODE")
	assert.NotContains(t, tr, "site restart: controller", "no escalation")
	assert.Equal(t, siteRestarts, strings.Count(tr, "hot reboot after console restart"))
}
