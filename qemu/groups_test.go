package qemu

import (
	"regexp"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/hotrestart/tamago-hr/actors"
)

// A running group's blocks cannot be freed from the console; two counters
// in two groups have two blocks, and killing one group leaves the other's.
// `arun -g` without a GID runs in group 0.
func TestGroupBlocksAreProtectedAndPerGroup(t *testing.T) {
	s := boot(t)
	s.banner()
	s.arun("-g 3 counter")
	s.arun("-g 4 counter")
	s.expect(`counter-client: connected at 1\b`)
	s.expect(`counter-client: connected at 1\b`)
	ls := s.run("pmm ls")
	assert.Regexp(t, `COUNTER@3\s+__SYS\.hr\.g3\s+user`, ls)
	assert.Regexp(t, `COUNTER@4\s+__SYS\.hr\.g4\s+user`, ls)
	assert.Contains(t, s.run("pmm free COUNTER@3"),
		`error: pmm free "COUNTER@3": actors: block in use: block COUNTER@3 carries the key of group 3, which is running (akill -g 3 frees it)`)
	assert.Contains(t, s.run("pmm freeall __SYS.hr.g3"), "block in use: block __SYS.hr.g3 carries the key of group 3")
	assert.Contains(t, s.run("akill -g 3"), "group 3 killed")
	ls = s.run("pmm ls")
	assert.NotContains(t, ls, "COUNTER@3")
	assert.Contains(t, ls, "COUNTER@4")
	assert.Len(t, s.aidsOf(4), 2, "group 4 runs on")
	assert.False(t, regexp.MustCompile("inconsistent").MatchString(s.Transcript()))

	out := s.run("arun -g idle")
	assert.Contains(t, out, "Started aid")
	assert.Len(t, s.aidsOf(0), 1, "arun -g without GID: group 0")
}

// An ordinary hello that faults leaves nothing behind: a restartable hello
// afterwards starts from its first run.
func TestOrdinaryHelloDoesNotLeakIntoRestartable(t *testing.T) {
	s := boot(t)
	s.banner()
	s.arun("hello")
	s.expect(`Hello world! \(ordinary actor`)
	s.expect(`DATA_ABORT`)
	s.arun("-g 0 hello")
	s.expect(`Hello world!\r?\n`)
	s.expect(`Hello again! I have been restarted\.`)
	s.expect(`group 0 terminated`)
	assert.NotContains(t, s.run("pmm ls"), "PM1")
}

// Test image: maxBadness 2, interval 60 s, minRunTime 0, crash-loop
// breaker at 3. Group 5 goes over the policy: one site restart. Back with a
// fair start (badness 1) it takes one more failure as a group restart; the
// next one holds group 5 alone, without a site restart, while group 6 runs
// on. The restart that the site restart made counts, and the last failure
// is kept. A site restart leaves the hold in place; `resume 5` ends it.
func TestPolicyHoldsTheFailingGroup(t *testing.T) {
	s := testImage(t)
	s.banner()
	aid := s.aidsOf(5)[0]
	for i := 0; i < 2; i++ {
		s.run("akill " + itoa(aid))
		aid = s.waitAids(5, 1, []int{aid})[0]
	}
	last := aid
	require.NoError(t, s.Send("akill "+itoa(aid)))
	_, n, why := s.banner()
	assert.Equal(t, 2, n)
	assert.Contains(t, why, "policy: group 5 badness 3 > maxBadness 2 within 1m0s")
	aid = s.waitAids(5, 1, []int{aid})[0]
	g6 := s.waitAids(6, 1, nil)
	aps := s.run("aps")
	assert.Regexp(t, `(?m)^5\s+running\s+1/1\s+3\s+1/2\s+0\s+2/1m0s no backoff\s+aid `+itoa(last)+` idle\.5\.1: killed by akill`, aps,
		"restart counter 3 (2 + the site restart's), fair start badness 1, last failure kept")

	s.run("akill " + itoa(aid))
	aid = s.waitAids(5, 1, []int{aid})[0]
	s.run("akill " + itoa(aid))
	s.expect(`hr: group 5 held \(aid ` + itoa(aid) + ` idle\.5\.1: killed by akill\): policy: group 5 badness 3 > maxBadness 2 within 1m0s: 2 failures this boot on top of badness 1 carried over the site restart`)
	aps = s.run("aps")
	assert.Regexp(t, `(?m)^5\s+held-policy\s+0/1\s+4\s`, aps)
	assert.Equal(t, g6, actors.APSGroupAIDs(aps, 6), "group 6 untouched: no site restart")

	require.NoError(t, s.Send("restart"))
	s.banner()
	assert.Empty(t, s.aidsOf(5), "still held after a site restart")
	assert.Contains(t, s.run("resume 5"), "group 5 resumed")
	s.waitAids(5, 1, nil)
	assert.NotContains(t, s.Transcript(), "SAFE MODE")
}

// `inject AID hang` is noticed in an example that sets no heartbeat of its
// own (the spawn example's child): the hang arms one, it is missed, the
// group restarts.
func TestInjectHangWithoutHeartbeat(t *testing.T) {
	s := boot(t)
	s.banner()
	s.arun("-g 2 spawn 0")
	s.expect(`child: STEP 1`)
	child := actors.APSAID(s.run("aps"), "HR_child.2")
	require.NotZero(t, child)
	s.run("inject " + itoa(child) + " hang")
	s.expect(`HR_child\.2: injected hang`)
	s.expect(`hr: group 2 restart 1 \(aid ` + itoa(child) + ` HR_child\.2: missed heartbeat \(period 1s\)\)`)
	s.expect(`=========== Message =========== STEP 1 STEP 2 STEP 3 STEP 4 ======== End of message========`)
}
