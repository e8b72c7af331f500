//go:build !tamago

package kernel

import (
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/hotrestart/tamago-hr/actors"
	"github.com/hotrestart/tamago-hr/kernel/bootrec"
)

// Config.Autostart starts its groups on a cold boot, in order and before
// the startup script; a warm boot brings them back from the bank and starts
// no second copy; a bad entry is reported, the next one still starts, and
// it is tried again at the next boot.
func TestAutostartOnceAcrossASiteRestart(t *testing.T) {
	saved := startupScript
	t.Cleanup(func() { startupScript = saved })
	startupScript = "arun -g 4 idle\n"
	strict := func(p *actors.Policy) { p.MaxBadness = 1 }
	cfg := Config{Programs: register, Autostart: []Start{
		{Group: 1, Program: "idle", Policy: strict}, {Group: 2, Program: "nosuch"}, {Group: 3, Program: "idle", Args: []string{"a"}}}}
	mem := make([]byte, testBank)
	log := bootOn(t, mem, cfg)
	assert.Equal(t, "hr: controller: 0 groups in the bank, 0 restartable actors registered, next aid 1\n"+noSSH+
		"autostart: group 1 idle: aid 1\n"+
		"autostart: group 2 nosuch: error: actors: no such program: \"nosuch\"\n"+
		"autostart: group 3 idle: aid 2\n"+
		"startup:1: arun -g 4 idle\nStarted aid = 3\n", log.String())
	assert.Regexp(t, `(?m)^1\s+running\s+1/1\s+0\s+0/1\s+0\s+1/10s backoff 1s-5s \(own\)\s+-$`, exec(t, "aps"))

	k.recordIntent(bootrec.PathHot, bootrec.SiteAsked, "console restart")
	require.NoError(t, k.ctl.Shutdown(time.Second))
	log = bootOn(t, mem, cfg)
	assert.Contains(t, log.String(), "autostart: group 2 nosuch: error: actors: no such program: \"nosuch\"\n"+
		"autostart: 2 groups started before come back from the bank\n")
	assert.NotContains(t, log.String(), "autostart: group 1")
	assert.Contains(t, log.String(), "hr: 3 groups resumed\n")
	var names []string
	for _, a := range k.ctl.Actors() {
		names = append(names, a.Name)
	}
	assert.Equal(t, []string{"idle.1.1", "idle.3.1", "idle.4.1"}, names, "one copy each")
	g := k.ctl.Groups()[0]
	assert.Equal(t, 1, g.Policy.MaxBadness, "the policy came back with the group")
}

// arun's policy flags give a new group its own policy, which aps shows; a
// bad flag is one clear error and starts nothing.
func TestArunPolicyFlags(t *testing.T) {
	bootOn(t, make([]byte, testBank), Config{Programs: register})
	assert.Equal(t, "Started aid = 1\n", exec(t, "arun -g 2 -badness 5 -interval 1m -backoff 2s-8s idle x"))
	assert.Regexp(t, `(?m)^2\s+running\s+1/1\s+0\s+0/5\s+0\s+5/1m0s backoff 2s-8s \(own\)\s+-$`, exec(t, "aps"))
	assert.Regexp(t, `(?m)^1\s+1\s+idle\.2\.1\s+idle\s+2\s+direct\s+running\s+0\s+\S+\s+x$`, exec(t, "aps"))
	assert.Equal(t, `error: arun: actors: bad config: -badness "x" (want a number ≥ 0)`, exec(t, "arun -g 3 -badness x idle"))
	assert.Equal(t, "error: usage: arun [-g [GID]] PROGRAM [ARGS…]", exec(t, "arun -g 3 -badness 1"))
	assert.Equal(t, "error: arun: actors: group busy: group 2 exists with policy 5/1m0s backoff 2s-8s; a policy is given when a group is created",
		exec(t, "arun -g 2 -badness 1 idle"))
	assert.Equal(t, `error: GID "-1" is not a number ≥ 0`, exec(t, "arun -g -1 idle"))
	assert.Equal(t, "error: arun: -badness: a restart policy is a group's (arun -g GID -badness …)", exec(t, "arun -badness 1 idle"))
	assert.Equal(t, "error: arun: a restart policy needs the group's GID: arun -g GID -badness …", exec(t, "arun -g -badness 3 idle"))
	assert.Equal(t, "error: arun: policy: actors: bad config: Interval 2562047h0m0s (want 100ms..1h0m0s)", exec(t, "arun -g 4 -interval 2562047h idle"))
	assert.Equal(t, "error: arun: policy: actors: bad config: MinRunTime 1h0m0s (want 0..10m0s)", exec(t, "arun -g 4 -backoff 1h-1h idle"))
	assert.Len(t, k.ctl.Groups(), 1, "nothing else started")
}

// An upgrade whose image adds an autostart entry starts it on its first
// (warm) boot, once; a group the operator dropped stays dropped; an entry
// whose group the operator had started already is not started again.
func TestAutostartAddedByAnUpgrade(t *testing.T) {
	v1 := Config{Programs: register, Autostart: []Start{{Group: 1, Program: "idle"}}}
	v2 := Config{Programs: register, Autostart: []Start{{Group: 1, Program: "idle"}, {Group: 5, Program: "idle"}, {Group: 6, Program: "idle"}}}
	mem := make([]byte, testBank)
	bootOn(t, mem, v1)
	assert.Equal(t, "Started aid = 2\n", exec(t, "arun -g 6 idle"))
	assert.Equal(t, "group 1 killed\n", exec(t, "akill -g 1"))
	restart := func(cfg Config) string {
		k.recordIntent(bootrec.PathHot, bootrec.SiteAsked, "console restart")
		require.NoError(t, k.ctl.Shutdown(time.Second))
		return bootOn(t, mem, cfg).String()
	}
	log := restart(v2)
	assert.Contains(t, log, "autostart: group 5 idle: aid 33\n"+
		"autostart: group 6 idle: not started: group 6 is in the bank already\n"+
		"autostart: 1 groups started before come back from the bank\n")
	log = restart(v2)
	assert.Contains(t, log, "autostart: 3 groups started before come back from the bank\n")
	var names []string
	for _, a := range k.ctl.Actors() {
		names = append(names, a.Name)
	}
	assert.Equal(t, []string{"idle.5.1", "idle.6.1"}, names, "group 1 stays dropped; one copy each")
}

// Without room for the autostart record (SV28-4) a warm boot starts
// nothing and says the next boot tries again; the next boot with room
// starts what is new, and never a second copy.
func TestAutostartWithoutRoomForItsRecord(t *testing.T) {
	mem := make([]byte, testBank)
	bootOn(t, mem, Config{Programs: register})
	assert.Equal(t, "Started aid = 1\n", exec(t, "arun -g 1 idle"))
	var fill []string
	for i := 0; ; i++ {
		name := "F" + strconv.Itoa(i)
		if strings.HasPrefix(exec(t, "pmm alloc "+name+" 4096"), "error:") {
			break
		}
		fill = append(fill, name)
	}
	cfg := Config{Programs: register, Autostart: []Start{{Group: 1, Program: "idle"}, {Group: 2, Program: "idle"}}}
	restart := func() string {
		k.recordIntent(bootrec.PathHot, bootrec.SiteAsked, "console restart")
		require.NoError(t, k.ctl.Shutdown(time.Second))
		return bootOn(t, mem, cfg).String()
	}
	log := restart()
	assert.Regexp(t, `autostart: no room for the autostart record: .*: none started now; tried again at the next boot\n`, log)
	assert.NotContains(t, log, "autostart: group")
	for _, name := range fill {
		exec(t, "pmm free "+name)
	}
	log = restart()
	assert.Contains(t, log, "autostart: group 1 idle: not started: group 1 is in the bank already\n"+
		"autostart: group 2 idle: aid ")
}
