package qemu

import (
	"fmt"
	"regexp"
	"strconv"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// States checked before the switch, explicit migrations and the state
// viewer (issues #21 and #28): the out-of-tree firmware's v1 (HR_APP_IMAGE)
// upgraded to a build whose declared state type no rule can take
// (HR_APP_INCOMPAT_IMAGE, -tags incompat: Meters becomes a float64) and to
// its v3 (HR_APP_V3_IMAGE, -tags v3: centimeters, explicit migrations v1 →
// v2 → v3, an 8 s trial).

// The running image reads the new image's declared state types from its
// manifest and refuses the upgrade before anything stops, naming the
// program, the block and the field; v1 and its service go on.
func TestUpgradeRefusesIncompatibleState(t *testing.T) {
	incompat := envImage(t, "HR_APP_INCOMPAT_IMAGE")
	s, before := odoOnV1(t)
	require.NoError(t, s.Send("upgrade semihost:"+incompat))
	s.expect(`error: upgrade refused: odometer: ODO@1: field Meters: uint64 → float64 cannot be migrated; app-test keeps running\r?\n`)
	s.expect(prompt)
	assert.Equal(t, "app-test", s.version())
	assert.GreaterOrEqual(t, s.odo(1), before, "the service never stopped")
	assert.NotContains(t, s.Transcript(), "checked and staged")
	assert.NotContains(t, s.run("pmm ls"), "__SYS.hk.", "nothing kept")
}

// v3 converts v1's meters into centimeters by its registered functions,
// once: the group's restart and a site restart load the converted value,
// and the trial commits.
func TestUpgradeExplicitMigrationOnce(t *testing.T) {
	v3 := envImage(t, "HR_APP_V3_IMAGE")
	s, before := odoOnV1(t)
	require.NoError(t, s.Send("upgrade semihost:"+v3))
	s.expect(`upgrade: app-v3 checked and staged in \d+ms; app-test kept for a rollback, with 1 states\r?\n`)
	assert.Contains(t, s.bootLine(), "(upgrade from app-test to app-v3)")
	s.expect(`hr: state ODO@1: migrated from layout [0-9a-f]{8}, 12 bytes to main\.odoState \(layout [0-9a-f]{8}, 16 bytes\) by main\.odoStateV1 → main\.odoStateV2, main\.odoStateV2 → main\.odoState\r?\n`)
	kept := s.odoStart(`2 at (\d+) m, trip 1 \(cm\)\r?\n`)
	assert.GreaterOrEqual(t, kept, before, "v3 resumes from v1's distance, in centimeters")
	s.expect(prompt)
	show := noCR(s.run("state show ODO@1"))
	m := regexp.MustCompile(`(?m)^Centimeters = (\d+)\nStarts = 2\nTrips = 1\n`).FindStringSubmatch(show)
	require.NotNil(t, m, "state show: %q", show)
	cm, err := strconv.Atoi(m[1])
	require.NoError(t, err)
	assert.GreaterOrEqual(t, cm, kept*100)
	assert.Less(t, cm, (kept+1000)*100, "multiplied once")

	// a group restart and a site restart load the committed value
	aid := s.aidsOf(1)[0]
	s.run("inject " + itoa(aid) + " panic")
	restarted := s.odoStart(`3 at (\d+) m, trip 2 \(cm\)\r?\n`)
	assert.GreaterOrEqual(t, restarted, kept)
	assert.Less(t, restarted, kept+1000, "not converted a second time")
	s.expect(prompt)
	require.NoError(t, s.Send("restart"))
	s.bootLine()
	again := s.odoStart(`4 at (\d+) m, trip 3 \(cm\)\r?\n`)
	assert.GreaterOrEqual(t, again, restarted)
	assert.Less(t, again, restarted+1000)
	s.expect(`hr: upgrade: committed: app-v3 \(previous app-test\)`)
	assert.Len(t, regexp.MustCompile(`migrated from`).FindAllString(s.Transcript(), -1), 1, "one migration")
}

// state show prints a state by field from the bank alone, and says what
// is wrong with a name that holds none.
func TestStateShow(t *testing.T) {
	s, _ := odoOnV1(t)
	out := noCR(s.run("state show ODO@1"))
	assert.Regexp(t, `^ODO@1 \(key __SYS\.hr\.g1, 4096 bytes\):\nMeters = \d+0\nStarts = 1\n$`, out)
	assert.Equal(t, "error: state show: no block NOPE@1 in the bank (pmm ls lists the blocks)\n", noCR(s.run("state show NOPE@1")))
	assert.Equal(t, "error: state show: \"ODO\": want NAME@GROUP (pmm ls lists the blocks)\n", noCR(s.run("state show ODO")))
	s.run("pmm alloc RAW@7 4096")
	s.run("pmm write RAW@7 hello")
	assert.Regexp(t, `^RAW@7 \(key console, 4096 bytes\):\nerror: state show: RAW@7: actors: no valid state: .+\n$`, noCR(s.run("state show RAW@7")))
}

// The switch to all groups running, their states loaded (the odometer's
// start line, which follows its Load), with and without a migration of
// the odometer's state: v1 alternates with a build of the same types
// (HR_APP_SAME_IMAGE, another version) and with v2 (a field added: every
// switch migrates, forth and back). A measurement the README quotes.
func TestUpgradeMigrationLatency(t *testing.T) {
	v1, same, v2 := envImage(t, "HR_APP_IMAGE"), envImage(t, "HR_APP_SAME_IMAGE"), envImage(t, "HR_APP_V2_IMAGE")
	s := start(t, v1)
	s.banner()
	s.arun("-g 1 odometer")
	s.expect(`odometer 1: start 1 at 0 m`)
	switchTo := func(img string, migrates bool) time.Duration {
		require.NoError(t, s.Send("upgrade semihost:"+img))
		s.expect(`checked and staged in \d+ms`)
		t0 := time.Now()
		s.expect(`hr: warm boot`)
		if migrates {
			s.expect(`hr: state ODO@1: migrated from`)
		}
		s.expect(`odometer 1: start`) // its state loaded (and migrated): the service runs
		d := time.Since(t0)
		s.expect(prompt)
		require.Contains(t, s.run("upgrade commit"), "upgrade: committed")
		return d
	}
	var plain, migrated []time.Duration
	for range 2 {
		plain = append(plain, switchTo(same, false), switchTo(v1, false))
	}
	for range 2 {
		migrated = append(migrated, switchTo(v2, true), switchTo(v1, true))
	}
	assert.Len(t, regexp.MustCompile(`migrated from`).FindAllString(s.Transcript(), -1), 4, "every switch to or from v2, and no other")
	ms := func(d time.Duration) string { return fmt.Sprintf("%.1f ms", float64(d)/1e6) }
	p, m := median(plain), median(migrated)
	t.Logf("upgrade switch, staged image to the service running on its state (host clock, median of 4)")
	t.Logf("  no migration (same state types)        %s", ms(p))
	t.Logf("  one state migrated (a field added)     %s (%+.1f%%)", ms(m), 100*(float64(m)-float64(p))/float64(p))
}

// A program whose declared state type cannot be kept (HR_APP_BADTYPE_IMAGE,
// -tags badtype: a string field) is refused at boot with one line naming
// the field; starting it fails at once, with no group made and no restart
// loop, and the console goes on.
func TestStateTypeRefusedAtBoot(t *testing.T) {
	s := start(t, envImage(t, "HR_APP_BADTYPE_IMAGE"))
	s.banner()
	assert.Regexp(t, `hr: program odometer: state ODO: actors: type cannot be persistent state: main\.odoState: main\.odoState\.Note is a string: a pointer or a reference does not survive a restart \(the bank outlives the heap\); it is refused: every start of it fails\r?\n`, s.Transcript())
	out := noCR(s.run("arun -g 1 odometer"))
	assert.Equal(t, "error: arun: actors: program refused: odometer: state ODO: actors: type cannot be persistent state: main.odoState: main.odoState.Note is a string: a pointer or a reference does not survive a restart (the bank outlives the heap)\n", out)
	assert.NotContains(t, s.run("aps"), "odometer")
	assert.NotContains(t, s.run("pmm ls"), "ODO@1")
	assert.NotContains(t, s.Transcript(), "odometer 1: start")
}

// An upgrade to a build whose odometer is refused at registration
// (HR_APP_BADTYPE_IMAGE: a state type the bank cannot keep, declared where
// the build does not see it) is rolled back at once by its trial, naming
// the field, not committed with the service dead; v1 resumes from its own
// value.
func TestUpgradeToARefusedProgramRollsBack(t *testing.T) {
	bad := envImage(t, "HR_APP_BADTYPE_IMAGE")
	s, before := odoOnV1(t)
	require.NoError(t, s.Send("upgrade semihost:"+bad))
	assert.Contains(t, s.bootLine(), "(upgrade from app-test to app-badtype)")
	s.expect(`hr: upgrade: rolled back from app-badtype to app-test: group 1 cannot load its state: .*Note is a string: a pointer or a reference does not survive a restart`)
	assert.Contains(t, s.bootLine(), "(rollback from app-badtype to app-test: group 1 cannot load its state: ")
	back := s.odoStart(`(?:\d+) at (\d+) m\r?\n`)
	assert.GreaterOrEqual(t, back, before, "v1's own value")
	s.expect(prompt)
	assert.Equal(t, "app-test", s.version())
}
