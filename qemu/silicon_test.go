package qemu

import (
	"regexp"
	"strconv"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// uncached parses stats' "written with caches off" line: bytes copied,
// zeroed and left unzeroed by cpuinit at this boot.
func uncached(t *testing.T, stats string) (total, copied, zeroed, skipped int) {
	t.Helper()
	m := regexp.MustCompile(`written with caches off: (\d+) bytes at this boot \(copied (\d+), zeroed (\d+); (\d+) left unzeroed\)`).FindStringSubmatch(stats)
	require.NotNil(t, m, stats)
	n := make([]int, 4)
	for i := range n {
		n[i], _ = strconv.Atoi(m[i+1])
	}
	return n[0], n[1], n[2], n[3]
}

// The boot prints the core and its revision (QEMU's cortex-a7 is r0p5), and
// stats counts what cpuinit wrote with the caches off: the drbg scratch
// buffer (32 MiB) is left unzeroed, so a hot reboot writes under 1 MiB
// (issue #24's goal), and every boot kind counts the same way.
func TestBootCostsAndCPU(t *testing.T) {
	s := boot(t)
	s.expect(`hr: cpu Cortex-A7 r0p5 \(MIDR 0x410fc075\)\r?\n`)
	s.banner()
	st := noCR(s.run("stats"))
	assert.Contains(t, st, "cpu: Cortex-A7 r0p5 (MIDR 0x410fc075)\n")
	total, copied, zeroed, skipped := uncached(t, st)
	assert.Equal(t, 32<<20, skipped, "drbg's scratch buffer is not zeroed")
	assert.Equal(t, copied+zeroed, total)
	assert.Less(t, zeroed, 1<<20)

	require.NoError(t, s.Send("restart"))
	_, _, why := s.banner()
	assert.Contains(t, why, "hot reboot")
	st = noCR(s.run("stats"))
	total, copied, zeroed, skipped = uncached(t, st)
	t.Logf("hot reboot: %d bytes written with caches off (copied %d, zeroed %d), %d left unzeroed", total, copied, zeroed, skipped)
	assert.Less(t, total, 1<<20, "a hot reboot writes less than 1 MiB with caches off")
	assert.Greater(t, copied, 0, "the span was restored")
	assert.Equal(t, 32<<20, skipped)
	assert.NotContains(t, st, "upgrade copy routine")
}
