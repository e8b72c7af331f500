package qemu

import (
	"regexp"
	"strconv"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// State across versions (issue #21): the out-of-tree firmware
// (HR_APP_IMAGE, VERSION=app-test) upgraded to its v2 (HR_APP_V2_IMAGE,
// VERSION=app-v2, built with -tags v2: odoState gains Trips; an 8 s
// trial) or to a version whose state cannot be migrated (HR_APP_BAD_IMAGE,
// VERSION=app-bad).

// odoOnV1 boots the v1 firmware with an odometer in group 1 that has
// driven, and returns the session and the distance it reported.
func odoOnV1(t *testing.T) (*session, int) {
	s := start(t, envImage(t, "HR_APP_IMAGE"))
	s.banner()
	s.arun("-g 1 odometer")
	s.expect(`odometer 1: start 1 at 0 m`)
	s.expect(`odometer 1: 200 m`)
	return s, s.odo(1)
}

// odoStart waits for the odometer's start line and returns its distance.
func (s *session) odoStart(pattern string) int {
	s.t.Helper()
	m := s.expect(`odometer 1: start ` + pattern)
	n, err := strconv.Atoi(m[1])
	require.NoError(s.t, err)
	return n
}

// v2 migrates v1's state (a field added) at the odometer's first start,
// logs it once, resumes from v1's distance, shows the group running during
// the trial, and the trial commits.
func TestUpgradeMigratesState(t *testing.T) {
	v2 := envImage(t, "HR_APP_V2_IMAGE")
	s, before := odoOnV1(t)
	require.NoError(t, s.Send("upgrade semihost:"+v2))
	s.expect(`upgrade: app-v2 checked and staged in \d+ms; app-test kept for a rollback, with 1 states\r?\n`)
	assert.Contains(t, s.bootLine(), "(upgrade from app-test to app-v2)")
	s.expect(`hr: state ODO@1: migrated from layout [0-9a-f]{8}, 12 bytes to main\.odoState \(layout [0-9a-f]{8}, 16 bytes\): added Trips\r?\n`)
	kept := s.odoStart(`2 at (\d+) m, trip 1\r?\n`)
	assert.GreaterOrEqual(t, kept, before, "v2 resumes from v1's distance")
	s.expect(prompt)
	assert.Contains(t, s.run("pmm ls"), "__SYS.hk.ODO@1", "v1's value kept during the trial")
	st := noCR(s.run("upgrade status"))
	assert.Regexp(t, `state: trial: app-v2 \(previous app-test\), \d+ of 8000 ms\n  group 1: running\n`, st)
	assert.GreaterOrEqual(t, s.odo(2), kept)

	// a site restart loads the migrated value: no second migration
	require.NoError(t, s.Send("restart"))
	assert.Contains(t, s.bootLine(), "(hot reboot after console restart)")
	assert.GreaterOrEqual(t, s.odoStart(`3 at (\d+) m, trip 2\r?\n`), kept)
	s.expect(`hr: upgrade: committed: app-v2 \(previous app-test\) after 8000 ms of run time`)
	assert.Len(t, regexp.MustCompile(`migrated from`).FindAllString(s.Transcript(), -1), 1, "one migration")
	assert.NotContains(t, s.run("pmm ls"), "__SYS.hk.", "the commit frees the kept value")
}

// A v2 that migrates and then crashes (an automatic site restart in its
// trial) is rolled back at the trial's end, and v1 resumes with the value
// converted back by name (v2 only added Trips, which is dropped: the
// distance driven during the trial is kept), its group running.
func TestUpgradeMigratedThenCrashedRollsBack(t *testing.T) {
	v2 := envImage(t, "HR_APP_V2_IMAGE")
	s, before := odoOnV1(t)
	require.NoError(t, s.Send("upgrade semihost:"+v2))
	assert.Contains(t, s.bootLine(), "(upgrade from app-test to app-v2)")
	s.expect(`hr: state ODO@1: migrated from .*: added Trips\r?\n`)
	kept := s.odoStart(`2 at (\d+) m, trip 1\r?\n`)
	assert.GreaterOrEqual(t, kept, before)
	s.expect(prompt)
	require.NoError(t, s.Send("crash site"))
	s.bootLine()
	assert.GreaterOrEqual(t, s.odoStart(`3 at (\d+) m, trip 2\r?\n`), kept)
	why := "1 automatic site restarts in a 8000 ms trial, no commit"
	s.expect(`hr: upgrade: rolled back from app-v2 to app-test: ` + regexp.QuoteMeta(why))
	assert.Contains(t, s.bootLine(), "(rollback from app-v2 to app-test: "+why+")")
	s.expect(`hr: upgrade: state ODO@1: converted back by name, \d+ commits of the trial kept\r?\n`)
	s.expect(`hr: state ODO@1: migrated from layout [0-9a-f]{8}, 16 bytes to main\.odoState \(layout [0-9a-f]{8}, 12 bytes\): dropped Trips\r?\n`)
	back := s.odoStart(`4 at (\d+) m\r?\n`)
	assert.GreaterOrEqual(t, back, kept, "v1 resumes from the distance v2 drove")
	s.expect(prompt)
	assert.Equal(t, "app-test", s.version())
	assert.GreaterOrEqual(t, s.odo(4), back)
	assert.Contains(t, noCR(s.run("upgrade status")), "state: rolled back from app-v2 to app-test: "+why+"\n")
}

// An upgrade whose service cannot load its state (a field no migration
// carries) is rolled back at once by its trial, not committed with the
// service dead; v1 resumes from its own value, which nothing overwrote.
func TestUpgradeWithUnloadableStateRollsBack(t *testing.T) {
	bad := envImage(t, "HR_APP_BAD_IMAGE")
	s, before := odoOnV1(t)
	require.NoError(t, s.Send("upgrade semihost:"+bad))
	assert.Contains(t, s.bootLine(), "(upgrade from app-test to app-bad)")
	why := `group 1 cannot load its state: ….*main\.odoState \(layout [0-9a-f]{8}, 20 bytes\): Label: uint64 → \[8\]uint8 cannot be migrated`
	s.expect(`hr: upgrade: rolled back from app-bad to app-test: ` + why)
	assert.Regexp(t, `\(rollback from app-bad to app-test: group 1 cannot load its state: .*\); bank .*; version app-test$`, s.bootLine())
	s.expect(`hr: upgrade: state ODO@1: unchanged\r?\n`)
	back := s.odoStart(`(?:\d+) at (\d+) m\r?\n`)
	assert.GreaterOrEqual(t, back, before, "v1's own value")
	s.expect(prompt)
	assert.Equal(t, "app-test", s.version())
	assert.NotContains(t, s.Transcript(), "migrated from", "nothing was migrated")
}

// A bank that cannot hold a copy of every state refuses the upgrade before
// anything stops: v1 and its service go on, nothing kept.
func TestUpgradeRefusedWhenStatesCannotBeKept(t *testing.T) {
	v2 := envImage(t, "HR_APP_V2_IMAGE")
	s, before := odoOnV1(t)
	full := false
	for i := range 40 {
		if strings.Contains(s.run("pmm alloc fill"+itoa(i)+" 4096 fill"), "pmm: too many blocks: all 30 in use") {
			full = true
			break
		}
	}
	require.True(t, full, "the bank's block table filled")
	s.run("pmm free fill0") // room for the trial state, none for the kept copy
	require.NoError(t, s.Send("upgrade semihost:"+v2))
	s.expect(`error: upgrade refused: state ODO@1 cannot be kept for a rollback: 1 pages: pmm: too many blocks: all 30 in use; app-test keeps running\r?\n`)
	s.expect(prompt)
	assert.Equal(t, "app-test", s.version())
	assert.GreaterOrEqual(t, s.odo(1), before, "the service never stopped")
	assert.NotContains(t, s.run("pmm ls"), "__SYS.hk.", "nothing kept")
	assert.NotContains(t, s.Transcript(), "warm boot 2")
}
