package qemu

import (
	"math/rand"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// TestJournalCutsBySystemReset lands at least minCuts resets, and goes on
// up to maxCuts until one of them has landed after a commit point: the
// post-commit window is about 2% of churn's time under QEMU (measured), so
// 200 cuts alone miss it about once in 50 runs, and 320 once in 600.
const (
	minCuts = 200
	maxCuts = 320
)

// A journal commit cut at a random moment, end to end: `churn` allocates and
// frees blocks without pause while the QEMU monitor resets the machine
// (system_reset: no shutdown, nothing recorded, RAM kept) at a random delay.
// Every boot after a cut must find the bank valid (warm, every check of
// Open passed: record CRCs, no overlap, journal redone or ignored) with no
// block but the system's and churn's. The test counts the cuts that landed
// after a commit point, which Open reports as an operation it completed (or
// a torn journal state it cleared); cuts before a commit point leave no
// trace by design.
func TestJournalCutsBySystemReset(t *testing.T) {
	dir := t.TempDir()
	m, err := Start(image(t), Options{Limit: 5 * time.Minute, Monitor: filepath.Join(dir, "mon.sock")})
	require.NoError(t, err)
	s := &session{Machine: m, t: t}
	t.Cleanup(func() {
		m.Kill()
		if t.Failed() {
			t.Logf("console transcript (tail):\n%s", tail(m.Transcript(), 4000))
		}
	})
	s.banner()
	state := regexp.MustCompile(`state: (\w+) \((.*)\)\r?\n`)
	rng := rand.New(rand.NewSource(time.Now().UnixNano()))
	inside := map[string]int{}
	start := time.Now()
	n, cut := 0, 0
	for ; ; cut++ {
		// both lines at once: one round trip per cut
		require.NoError(t, s.Send("bank"))
		require.NoError(t, s.Send("arun churn"))
		out := s.expect(`(?s)(state: .*?)Started aid = \d+`)[1]
		st := state.FindStringSubmatch(out)
		require.NotNil(t, st, "cut %d: %s", cut, out)
		if cut > 0 {
			require.Equal(t, "warm", st[1], "cut %d: the bank must survive: %s", cut, st[2])
			for _, k := range []string{"completed interrupted allocate", "completed interrupted free", "cleared torn journal marker"} {
				if strings.Contains(st[2], k) {
					inside[k]++
					n++
				}
			}
		}
		if cut >= maxCuts || cut >= minCuts && n > 0 {
			break
		}
		time.Sleep(time.Duration(rng.Intn(8000)) * time.Microsecond)
		reply, err := m.Monitor("system_reset", 5*time.Second)
		require.NoError(t, err, reply)
		s.banner()
	}
	elapsed := time.Since(start)
	ls := s.run("pmm ls")
	for _, line := range strings.Split(strings.TrimSpace(ls), "\n")[1:] {
		name := strings.Fields(line)[0]
		assert.True(t, strings.HasPrefix(name, "churn.") || strings.HasPrefix(name, "__SYS."), "unexpected block %q", name)
	}
	assert.Equal(t, "bank ok", strings.TrimSpace(s.run("pmm verify")))
	t.Logf("%d cuts in %v: %d landed after a commit point (%v)", cut, elapsed.Round(time.Millisecond), n, inside)
	assert.Positive(t, n, "no cut landed inside a commit: the test does not exercise the journal")
}

func tail(s string, n int) string {
	if len(s) > n {
		return s[len(s)-n:]
	}
	return s
}
