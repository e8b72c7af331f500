package qemu

import (
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/hotrestart/tamago-hr/actors"
)

// arun, aps and akill on the console: a kill without -g is a crash that
// restarts the group with new aids; -g kills it for good.
func TestArunAkillAps(t *testing.T) {
	s := boot(t)
	s.banner()
	aid := s.arun("-g 0 idle")
	aps := s.run("aps")
	assert.Regexp(t, `AID\s+GEN\s+NAME\s+PROGRAM\s+GROUP\s+KIND\s+STATE\s+RESTARTS\s+UPTIME`, aps)
	assert.Equal(t, []int{aid}, actors.APSGroupAIDs(aps, 0))
	assert.Regexp(t, `idle\s+0\s+direct\s+running`, aps)

	out := s.run("arun echo hello console")
	assert.Contains(t, out, "Started aid")
	s.expect("hello console")

	assert.Contains(t, s.run("akill "+itoa(aid)), "killed")
	aids := s.waitAids(0, 1, []int{aid})
	assert.Greater(t, aids[0], aid)
	assert.Regexp(t, `idle\s+0\s+direct\s+running\s+1\s`, s.run("aps"))

	// a stale aid is refused
	assert.Contains(t, s.run("akill "+itoa(aid)), "error: akill:")
	assert.Contains(t, s.run("akill -g 0"), "group 0 killed")
	assert.Empty(t, s.aidsOf(0))
	assert.Contains(t, s.run("akill -g 0"), "group 0 killed", "an unused group is not an error")
}

func TestActorCommandErrors(t *testing.T) {
	s := boot(t)
	s.banner()
	for line, want := range map[string]string{
		"arun":             "error: usage: arun [-g [GID]] PROGRAM [ARGS…]",
		"arun -g":          "error: usage: arun [-g [GID]] PROGRAM [ARGS…]",
		"arun -g x idle":   `error: arun: actors: no such program: "x"`, // -g without GID: group 0
		"arun -g -1 idle":  `error: GID "-1" is not a number`,
		"arun -g 999 idle": "error: arun:",
		"arun nosuch":      "error: arun:",
		"arun -g 1":        "error: usage:",
		"akill 99999":      "error: akill:",
		"akill -g":         "error: usage:",
		"akill abc":        `error: AID "abc" is not a number`,
		"inject 1 bogus":   "error: inject:",
		"resume":           "error: resume: not in safe mode",
		"resume 3":         "error: resume: actors: no such group: group 3",
		"resume x":         `error: GID "x" is not a number`,
	} {
		assert.Contains(t, s.run(line), want, line)
	}
	prog := s.run("programs")
	for _, p := range []string{"hello", "spawn", "child", "maze", "counter", "idle", "echo"} {
		assert.Contains(t, prog, p)
	}
	require.Contains(t, s.run("aps"), "AID")
}
