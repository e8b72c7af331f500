package qemu

import (
	"regexp"
	"strconv"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// odoRe is the `odo` command's answer.
var odoRe = regexp.MustCompile(`odometer: (\d+) m, start (\d+)\r?\n`)

// odo runs the `odo` console command and returns the meters it printed,
// requiring the service's start count to be start.
func (s *session) odo(start int) int {
	s.t.Helper()
	return s.odoOut(s.run("odo"), start)
}

// odoIn is odo for group gid's odometer.
func (s *session) odoIn(gid, start int) int {
	s.t.Helper()
	return s.odoOut(s.run("odo "+itoa(gid)), start)
}

func (s *session) odoOut(out string, start int) int {
	s.t.Helper()
	m := odoRe.FindStringSubmatch(out)
	require.NotNil(s.t, m, "odo: %q", out)
	require.Equal(s.t, strconv.Itoa(start), m[2], "odo: %q", out)
	n, _ := strconv.Atoi(m[1])
	return n
}

// A firmware built from another module (qemu/testdata/myfirmware, `make
// image APP=…`, the README's "Write your own service") registers its own
// program and console command through the kernel's public API, and its
// service's typed persistent state survives a fault (group restart) and a
// site restart.
func TestOwnFirmware(t *testing.T) {
	s := start(t, envImage(t, "HR_APP_IMAGE"))
	s.banner()
	assert.Regexp(t, `(?m)^odo \[GID \[hold\|crash\]\]\s+call\s+the\s+running\s+odometer\s+\(of\s+group\s+GID\)\s+for\s+its\s+distance`, s.run("help"))
	assert.Contains(t, s.run("odo"), "error: the odometer is not running (arun -g GID odometer)")
	s.arun("odometer")
	s.expect(`hr: aid \d+ odometer failed \(not restartable\): actors: not a restartable actor: odometer has no group key`)

	aid := s.arun("-g 1 odometer")
	s.expect(`odometer 1: start 1 at 0 m`)
	s.expect(`odometer 1: 100 m`)
	before := s.odo(1)
	require.GreaterOrEqual(t, before, 100, "it drives")

	s.run("inject " + itoa(aid) + " panic")
	s.expect(`hr: group 1 restart 1 \(aid ` + itoa(aid) + ` odometer\.1\.1: panic: odometer: injected panic\)`)
	m := s.expect(`odometer 1: start 2 at (\d+) m`)
	kept, _ := strconv.Atoi(m[1])
	assert.GreaterOrEqual(t, kept, before, "the distance survives the group restart")
	before = s.odo(2)
	require.GreaterOrEqual(t, before, kept)

	require.NoError(t, s.Send("restart"))
	s.banner()
	m = s.expect(`odometer 1: start 3 at (\d+) m`)
	kept, _ = strconv.Atoi(m[1])
	assert.GreaterOrEqual(t, kept, before, "the distance survives the site restart")
	assert.GreaterOrEqual(t, s.odo(3), kept)

	// one odometer per group (its state has one writer); `odo GID` picks
	// a group once there are several
	s.arun("-g 1 odometer")
	s.expect(`odometer 1: group 1 has an odometer already`)
	s.arun("-g 2 odometer")
	s.expect(`odometer 2: start 1 at 0 m`)
	assert.Contains(t, s.run("odo"), "error: odometers run in groups [1 2]: odo GID")
	assert.Regexp(t, `odometer: \d+ m, start 1\r?\n`, s.run("odo 2"))
	assert.Contains(t, s.run("odo 7"), "error: no odometer in group 7 (running in groups [1 2])")
	assert.GreaterOrEqual(t, s.odoIn(1, 3), kept)
}
