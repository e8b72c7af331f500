package qemu

import (
	"regexp"
	"strconv"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// The three ends and calls, as a user of the service template
// (qemu/testdata/myfirmware) sees them (issue #28): `odo` is a call to the
// odometer; a crash in the middle of a call is an error at once; a hold
// (`odo 1 hold`: the odometer returns ctx.Hold) stops the group for good,
// keeps its state, says why in aps and to every call, stays across a site
// restart, and `resume` brings it back from its state. A group created
// with its own policy (arun flags) shows it in aps, also after the site
// restart.
func TestServiceHoldCallAndPolicy(t *testing.T) {
	s := start(t, envImage(t, "HR_APP_IMAGE"))
	s.banner()
	aid := s.arun("-g 1 odometer")
	s.expect(`odometer 1: start 1 at 0 m`)
	s.expect(`odometer 1: 100 m`)
	s.arun("-g 2 -badness 1 -interval 1m odometer")
	s.expect(`odometer 2: start 1 at 0 m`)
	own := `1/1m0s backoff 1s-5s \(own\)`
	assert.Regexp(t, `(?m)^2\s+running\s+1/1\s+0\s+0/1\s+0\s+`+own+`\s+-\r?$`, s.run("aps"))
	assert.Regexp(t, `(?m)^1\s+running\s+1/1\s+0\s+0/3\s+0\s+3/10s backoff 1s-5s\s+-\r?$`, s.run("aps"))
	before := s.odoIn(1, 1) // a call answered

	assert.Regexp(t, `^error: actors: server ended during the call: aid `+itoa(aid)+` odometer\.1\.1 ended before replying to odometer@1\r?\n`,
		s.run("odo 1 crash"))
	s.expect(`hr: group 1 restart 1 \(aid ` + itoa(aid) + ` odometer\.1\.1: panic: odometer: crash asked by a call\)`)
	kept, _ := strconv.Atoi(s.expect(`odometer 1: start 2 at (\d+) m`)[1])
	assert.GreaterOrEqual(t, kept, before)

	out := s.run("odo 1 hold")
	assert.Regexp(t, `odometer: \d+ m, start 2\r?\nodometer 1: holding its group \(resume 1\)\r?\n`, out)
	s.expect("hr: group 1 held by aid \\d+ odometer\\.1\\.1: held from the console; its blocks are kept: `resume 1` restarts it, `akill -g 1` frees them")
	held := func() {
		t.Helper()
		assert.Regexp(t, `(?m)^1\s+held-service\s+0/1\s+\d+\s+\d/3\s+0\s+3/10s backoff 1s-5s\s+aid \d+ odometer\.1\.1 held it: held from the console\r?$`, s.run("aps"))
		assert.Equal(t, "error: odometer@1 is held (held from the console): resume 1", strings.TrimSpace(s.run("odo 1")))
		assert.Contains(t, s.run("pmm ls"), "ODO@1", "the state is kept")
	}
	held()
	assert.GreaterOrEqual(t, s.odoIn(2, 1), 0, "the other group answers")

	require.NoError(t, s.Send("restart"))
	s.banner()
	s.expect(`odometer 2: start 2 at`)
	held()
	assert.Regexp(t, `(?m)^2\s+running\s+1/1\s+1\s+0/1\s+0\s+`+own+`\s+-\r?$`, s.run("aps"), "the policy survives the site restart")

	assert.Contains(t, s.run("resume 1"), "group 1 resumed")
	back, _ := strconv.Atoi(s.expect(`odometer 1: start 3 at (\d+) m`)[1])
	assert.GreaterOrEqual(t, back, kept, "resumed from its kept state")
	assert.GreaterOrEqual(t, s.odoIn(1, 3), back)
}

// Autostart in code (kernel.Config.Autostart, the hr-app-auto image):
// started once on the cold boot, with the policy the entry gives; after a
// site restart the group comes back from the bank and no second copy is
// started.
func TestServiceAutostartOnce(t *testing.T) {
	s := start(t, envImage(t, "HR_APP_AUTO_IMAGE"))
	s.banner()
	s.expect(`odometer 3: start 1 at 0 m`)
	assert.Regexp(t, `autostart: group 3 odometer: aid \d+\r?\n`, s.Transcript())
	own := `2/1m0s backoff 1s-5s \(own\)`
	assert.Regexp(t, `(?m)^3\s+running\s+1/1\s+0\s+0/2\s+0\s+`+own+`\s+-\r?$`, s.run("aps"))

	require.NoError(t, s.Send("restart"))
	s.banner()
	s.expect(`odometer 3: start 2 at`)
	tr := s.Transcript()
	assert.Contains(t, tr, "autostart: 1 groups started before come back from the bank")
	assert.Len(t, regexp.MustCompile(`autostart: group 3`).FindAllString(tr, -1), 1, "started once")
	assert.NotContains(t, tr, "has an odometer already")
	aps := s.run("aps")
	assert.Len(t, regexp.MustCompile(`odometer\.3\.\d+`).FindAllString(aps, -1), 1, "one odometer: %s", aps)
	assert.Regexp(t, `(?m)^3\s+running\s+1/1\s+1\s+0/2\s+0\s+`+own+`\s+-\r?$`, aps)
	assert.GreaterOrEqual(t, s.odo(2), 0)
}

// A load error after an upgrade never frees the state: the version that
// cannot load it holds its group (the template's odometer returns
// ctx.Hold, never ctx.Exit), its trial rolls back, and the rollback
// releases the hold that version made, so v1 resumes from its own value.
func TestServiceHoldsOnUnloadableStateAfterUpgrade(t *testing.T) {
	bad := envImage(t, "HR_APP_BAD_IMAGE")
	s, before := odoOnV1(t)
	require.NoError(t, s.Send("upgrade semihost:"+bad))
	assert.Contains(t, s.bootLine(), "(upgrade from app-test to app-bad)")
	s.expect(`hr: group 1 held by aid \d+ odometer\.1\.1: ODO: actors: state of another type: .*Label: uint64 → \[8\]uint8 cannot be migrated; its blocks are kept`)
	s.expect(`hr: upgrade: rolled back from app-bad to app-test: group 1 cannot load its state`)
	assert.Contains(t, s.bootLine(), "(rollback from app-bad to app-test")
	s.expect(`hr: upgrade: group 1, held by app-bad's service \(ODO: actors: state of another type: .*\), resumes on app-test\r?\n`)
	back, _ := strconv.Atoi(s.expect(`odometer 1: start \d+ at (\d+) m`)[1])
	assert.GreaterOrEqual(t, back, before, "v1's own value, never freed")
	s.expect(prompt)
	assert.Regexp(t, `(?m)^1\s+running\s+`, s.run("aps"))
}
