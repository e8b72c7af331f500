package qemu

import (
	"fmt"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// Upgrade edges the hostile review of #20/#21 found: damage and resets in
// the middle of an upgrade never commit a crashing image, never lose the
// previous version's state, never leave a slot nobody can free.

// appOnV2 boots hr-app with a gdb stub, drives an odometer to at least
// meters and upgrades it to hr-app-v2 (a field added, migrated).
func appOnV2(t *testing.T, meters int) (s *session, gdbAddr string, atSwitch int) {
	v2 := envImage(t, "HR_APP_V2_IMAGE")
	gdbAddr = fmt.Sprintf("127.0.0.1:%d", freePort(t))
	s = startWith(t, envImage(t, "HR_APP_IMAGE"), Options{Limit: 2 * time.Minute, Extra: []string{"-gdb", "tcp:" + gdbAddr}})
	s.banner()
	s.arun("-g 1 odometer")
	s.expect(fmt.Sprintf(`odometer 1: %d m`, meters))
	// log lines leave the prompt alone (no second prompt follows them)
	require.NoError(t, s.Send("upgrade semihost:"+v2))
	s.bootLine()
	atSwitch = s.odoStart(`2 at (\d+) m, trip 1\r?\n`)
	s.expect(prompt) // the new boot's: what is typed before it is discarded
	return s, gdbAddr, atSwitch
}

// The boot record damaged during the trial, then an automatic site
// restart: the counters that judge the trial are gone, so it is rolled
// back, never committed on a run time that wrapped around.
func TestUpgradeBootRecordLostInTrialRollsBack(t *testing.T) {
	s, gdbAddr, _ := appOnV2(t, 200)
	corruptRecord(t, gdbAddr, s.bankAddr(), "__SYS.boot")
	require.NoError(t, s.Send("crash site"))
	s.expect(`hr: upgrade: rolled back from app-v2 to app-test: the boot record was lost during the trial: it cannot be judged`)
	s.bootLine()
	s.expect(prompt)
	assert.Equal(t, "app-test", s.version())
	assert.NotContains(t, s.Transcript(), "hr: upgrade: committed")
}

// v1's state damaged during the trial (v2 starts it again from zero), then
// a crash that rolls back: v1 gets the value kept at the switch, not the
// trial's fresh one converted back.
func TestUpgradeStateLostInTrialRestoresKeptValue(t *testing.T) {
	s, gdbAddr, atSwitch := appOnV2(t, 1500)
	corruptRecord(t, gdbAddr, s.bankAddr(), "ODO@1")
	require.NoError(t, s.Send("crash site"))
	s.expect(`hr: upgrade: rolled back`)
	s.bootLine()
	s.expect(`hr: upgrade: state ODO@1: restored the value from before the upgrade \(the trial left the state started again from scratch`)
	back := s.odoStart(`\d+ at (\d+) m\r?\n`)
	assert.GreaterOrEqual(t, back, atSwitch, "v1 resumes from its own distance at the switch")
}

// A reset right after an upgrade staged (before or during the switch):
// whatever it interrupted, no copy kept for a rollback outlives it.
func TestUpgradeResetAfterStagingLeavesNoCopies(t *testing.T) {
	v2 := envImage(t, "HR_APP_V2_IMAGE")
	s := startWith(t, envImage(t, "HR_APP_IMAGE"), Options{Limit: 4 * time.Minute, Monitor: filepath.Join(t.TempDir(), "mon.sock")})
	s.banner()
	s.arun("-g 1 odometer")
	s.expect(`odometer 1: 200 m`)
	for i := range 3 {
		require.NoError(t, s.Send("upgrade semihost:"+v2))
		s.expect(`checked and staged`)
		time.Sleep(time.Duration(i) * 30 * time.Millisecond)
		_, err := s.Monitor("system_reset", 10*time.Second)
		require.NoError(t, err)
		s.bootLine()
		s.expect(`odometer 1: start`)
		s.expect(prompt) // the new boot's: what is typed before it is discarded
		if strings.Contains(s.run("upgrade status"), "state: trial") {
			s.run("upgrade commit") // the switch had happened: decide it
		}
		assert.NotContains(t, s.run("pmm ls"), "__SYS.hk.", "round %d: a copy kept for a rollback that cannot come", i)
	}
}
