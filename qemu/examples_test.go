package qemu

import (
	"regexp"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// helloRestart: a real data abort restarts the group, the second run frees
// its block and the group terminates.
func TestExampleHello(t *testing.T) {
	s := boot(t)
	s.banner()
	s.arun("-g 0 hello")
	s.expect(`Hello world!`)
	s.expect(`DATA_ABORT`)
	s.expect(`Hello again! I have been restarted\.`)
	s.expect(`group 0 terminated`)
	assert.NotContains(t, s.run("pmm ls"), "PM1")
	assert.Empty(t, s.aidsOf(0))
}

// restartSpawn: the parent crashes twice and a site restart strikes in the
// middle; the message still ends complete, each step once.
func TestExampleSpawn(t *testing.T) {
	s := boot(t)
	s.banner()
	s.arun("-g 2 spawn 2")
	s.expect(`child: STEP 1`)
	s.expect(`parent: crash 1 of 2`)
	s.expect(`child: STEP 2`)
	require.NoError(t, s.Send("restart"))
	s.banner()
	m := s.expect(`=========== Message =========== (.*) ======== End of message========`)
	assert.Equal(t, "STEP 1 STEP 2 STEP 3 STEP 4", m[1])
	s.expect(`group 2 terminated`)
	ls := s.run("pmm ls")
	for _, b := range []string{"PARENT_PM", "CHILD_PM", "CHILD_MESSAGE"} {
		assert.NotContains(t, ls, b)
	}
	assert.Empty(t, s.aidsOf(2))
}

// The maze resumes from its last step after a kill and a site restart.
func TestExampleMaze(t *testing.T) {
	s := boot(t)
	s.banner()
	aid := s.arun("-g 1 maze -headless -size 40x20 -seed 7")
	s.expect(`maze: step 100\b`)
	s.run("akill " + itoa(aid))
	m := s.expect(`maze: 40x20 seed 7, step (\d+), restarts 1`)
	assert.NotEqual(t, "0", m[1])
	s.expect(`maze: step \d+`)
	require.NoError(t, s.Send("restart"))
	s.banner()
	m = s.expect(`maze: 40x20 seed 7, step (\d+), restarts 2`)
	assert.NotEqual(t, "0", m[1])
	m = s.expect(`maze: solved in (\d+) steps, 2 restarts`)
	assert.NotEmpty(t, m[1])
	s.expect(`group 1 terminated`)
}

// The drawn maze: ANSI output with walls and the solver's path; its status
// line keeps off the prompt.
func TestExampleMazeDrawn(t *testing.T) {
	s := boot(t)
	s.banner()
	s.arun("-g 1 maze -rate 200 -size 5x3")
	s.expect(`\x1b\[2J\x1b\[H#{11}`)
	// a step ends its status line: the cursor rests below the maze, where
	// the prompt is drawn, not after the status
	s.expect(`\x1b\[\d+;\d+H[*.]\x1b\[8;1Hstep \d+, restarts 0\x1b\[K\r\n`)
	s.expect(`maze: solved in \d+ steps, 0 restarts`)
}

// The counter service and its client come back together and consistent.
func TestExampleCounterService(t *testing.T) {
	s := boot(t)
	s.banner()
	s.arun("-g 3 counter")
	s.expect(`counter-client: connected at 1\b`)
	aids := s.aidsOf(3)
	require.Len(t, aids, 2)
	s.run("akill " + itoa(aids[1])) // the client fails: both restart
	s.expect(`counter: serving from (\d+)`)
	m := s.expect(`counter-client: connected at (\d+)`)
	assert.NotEqual(t, "1", m[1])
	s.waitAids(3, 2, aids)
	assert.False(t, regexp.MustCompile("inconsistent").MatchString(s.Transcript()))
	assert.True(t, strings.Contains(s.run("aps"), "counter-client"))

	// a second counter in the group leaves by itself: the count has one writer
	s.arun("-g 3 counter")
	s.expect(`counter: group 3 has a counter already`)
	after := s.aidsOf(3)
	assert.Len(t, after, 2, "the group's counter and client only")
	assert.NotContains(t, s.run("aps"), "restarting")
	// ...at every restart of the group too, whichever counter starts first
	for range 2 {
		s.run("akill " + itoa(s.aidsOf(3)[1]))
		s.expect(`counter-client: connected at (\d+)`)
	}
	assert.NotContains(t, s.Transcript(), "no counter service")
	assert.NotContains(t, s.Transcript(), "inconsistent")
	assert.NotContains(t, s.Transcript(), "policy:")
}
