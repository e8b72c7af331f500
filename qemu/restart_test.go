package qemu

import (
	"os/exec"
	"regexp"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// `restart` brings back two groups with new aids and their blocks intact.
func TestSiteRestartBringsGroupsBack(t *testing.T) {
	s := boot(t)
	s.banner()
	a := s.arun("-g 1 idle")
	b := s.arun("-g 2 counter")
	s.expect(`counter-client: connected at \d+`)
	s.run("pmm alloc app 8192 appkey")
	s.run("pmm write app kept-by-hot")
	before := s.run("pmm ls")
	require.NoError(t, s.Send("restart"))
	state, n, why := s.banner()
	assert.Equal(t, "warm", state)
	assert.Equal(t, 2, n)
	assert.Contains(t, why, "hot reboot after console restart")
	// the counter goes on from where it was: the client checks every value.
	// Waited for first: a line arriving inside a later command's output
	// would be consumed with it.
	s.expect(`counter-client: connected at \d+`)
	s.waitAids(1, 1, []int{a})
	s.waitAids(2, 2, []int{b})
	assert.Contains(t, s.run("pmm dump app"), "kept-by-hot")
	blocks := regexp.MustCompile(`(?m)^\S+\s+\S+\s+(system|user)\s`)
	assert.Equal(t, blocks.FindAllString(before, -1), blocks.FindAllString(s.run("pmm ls"), -1))
	assert.Contains(t, s.run("bank"), "site restarts: 1, hot reboots: 1")
	assert.NotContains(t, s.Transcript(), "inconsistent")
}

// shutdown -i 1 is a site restart, shutdown -i 0 a cold reboot.
func TestShutdown(t *testing.T) {
	s := boot(t)
	s.banner()
	s.run("pmm alloc keep 1 k")
	require.NoError(t, s.Send("shutdown -i 1"))
	state, _, why := s.banner()
	assert.Equal(t, "warm", state)
	assert.Contains(t, why, "shutdown -i 1")
	assert.Contains(t, s.run("pmm ls"), "keep")
	assert.Contains(t, s.run("shutdown -i 7"), "error: shutdown: run level \"7\" not supported")
	require.NoError(t, s.Send("shutdown -i 0"))
	state, n, _ := s.banner()
	assert.Equal(t, "cold", state)
	assert.Equal(t, 1, n)
}

// The startup script runs at every boot; its `arun -g` lines only cold.
func TestStartupScript(t *testing.T) {
	s := testImage(t)
	s.banner()
	out := s.Transcript() // startup lines and actor output interleave
	for _, want := range []string{"startup:2: arun echo startup ran", "startup:3: arun -g 5 idle",
		`startup:5: error: unknown command "no-such-command"`, "startup:6: pmm alloc startup-blk 4096 boot"} {
		assert.Contains(t, out, want)
	}
	s.expect(`startup ran`)
	g5, g6 := s.aidsOf(5), s.aidsOf(6)
	require.Len(t, g5, 1)
	require.Len(t, g6, 1)
	require.NoError(t, s.Send("restart"))
	s.expect(`hr: warm boot 2`)
	s.expect(`startup:3: skipped on warm boot: arun -g 5 idle`)
	s.expect(`startup:4: skipped on warm boot: arun -g 6 idle`)
	s.expect(`hr: 2 groups resumed`)
	s.expect(prompt)
	assert.Contains(t, s.run("pmm ls"), "startup-blk")
	s.waitAids(5, 1, g5)
	s.waitAids(6, 1, g6)
}

// Over the policy (test image: maxBadness 2), a group failure becomes a site
// restart whose banner names the group.
func TestPolicyEscalatesToSiteRestart(t *testing.T) {
	s := testImage(t)
	s.banner()
	aid := s.aidsOf(5)[0]
	for i := 0; i < 2; i++ {
		s.run("akill " + itoa(aid))
		aid = s.waitAids(5, 1, []int{aid})[0]
	}
	require.NoError(t, s.Send("akill "+itoa(aid)))
	state, n, why := s.banner()
	assert.Equal(t, "warm", state)
	assert.Equal(t, 2, n)
	assert.Contains(t, why, "group 5")
	s.waitAids(5, 1, []int{aid})
}

// Automatic site restarts faster than the breaker allows (test image: 3
// within 60 s) put the next boot in safe mode; `resume` leaves it. Restarts
// an operator asks for do not count.
func TestCrashLoopBreaker(t *testing.T) {
	s := testImage(t)
	s.banner()
	for i := 0; i < 3; i++ {
		require.NoError(t, s.Send("restart"))
		s.banner()
	}
	assert.Len(t, s.aidsOf(5), 1, "console restarts never trip the breaker")
	for i := 0; i < 2; i++ {
		require.NoError(t, s.Send("crash nil"))
		s.banner()
	}
	require.NoError(t, s.Send("crash undef"))
	s.expect(`hr: warm boot 7`)
	s.expect(`hr: SAFE MODE: 3 site restarts within 60000 ms`)
	s.expect(prompt)
	assert.Empty(t, s.aidsOf(5), "no group restarted in safe mode")
	// aps shows them held: `resume GID` starts one alone, safe mode stays
	require.NoError(t, s.Send("resume 6"))
	s.expect(`hr: group 6 restart \d+ \(resumed by the operator\)`)
	s.waitAids(6, 1, nil)
	assert.Empty(t, s.aidsOf(5), "resume 6 starts group 6 alone")
	assert.Contains(t, s.run("resume"), "1 groups resumed")
	s.waitAids(5, 1, nil)
}

// dmesg shows the previous boot's log, traceback included.
func TestDmesgKeepsTraceback(t *testing.T) {
	s := boot(t)
	s.banner()
	require.NoError(t, s.Send("crash panic"))
	s.banner()
	log := s.run("dmesg")
	assert.Contains(t, log, "panic: crash: panic in the console goroutine")
	assert.Contains(t, log, "goroutine ")
	assert.Contains(t, log, "hr: cold boot 1")
}

// A bad tunable fails the build with one clear line.
func TestBadTunableFailsMake(t *testing.T) {
	if _, err := exec.LookPath("make"); err != nil {
		t.Skip("no make")
	}
	for tun, want := range map[string]string{
		"pmm.bogus=1":           `unknown tunable "pmm.bogus"`,
		"hrCtrl.maxGroups=9999": "hrCtrl.maxGroups = 9999 out of range [1, 256]",
		"pmm.rambankSize=0x10000 pmm.maxBlocks=4096": "pmm.rambankSize=0x10000 with pmm.maxBlocks=4096",
	} {
		cmd := exec.Command("make", "-C", "..", "image", "BUILD="+t.TempDir(), "TUNABLES="+tun)
		out, err := cmd.CombinedOutput()
		require.Error(t, err, tun)
		assert.Contains(t, string(out), want, tun)
		assert.NotContains(t, string(out), "GOOS=tamago", "%s: must fail before compiling", tun)
	}
}

// The line a site restart prints reaches the UART and the crash log before
// the hot reboot, every time.
func TestSiteRestartLastLineLogged(t *testing.T) {
	s := boot(t)
	s.banner()
	for i := 2; i <= 4; i++ {
		require.NoError(t, s.Send("restart"))
		s.expect(`hr: site restart: console restart\r\n`)
		_, n, _ := s.banner()
		require.Equal(t, i, n)
		assert.Contains(t, s.run("dmesg"), "hr: site restart: console restart")
	}
}

// dmesg after a wrapped ring starts at a whole line and says older lines
// were dropped; after a cold boot it says the log was lost with the bank.
func TestDmesgWrappedAndCold(t *testing.T) {
	s := boot(t)
	s.banner()
	assert.Equal(t, "(no log of the previous boot: it was lost with the bank, blank)\r\n", s.run("dmesg"))
	s.run("pmm alloc big 8192")
	s.run("pmm dump big 4096") // 20 KB of output: more than kern.dmesgSize
	require.NoError(t, s.Send("restart"))
	s.banner()
	log := s.run("dmesg")
	lines := strings.Split(log, "\r\n")
	require.Greater(t, len(lines), 2)
	assert.Regexp(t, `^\(older lines dropped: \d+ bytes did not fit kern\.dmesgSize\)$`, lines[0])
	assert.Regexp(t, `^[0-9a-f]{8}  ([0-9a-f]{2} ){8} ([0-9a-f]{2} ){8} \|.{16}\|$`, lines[1], "a whole dump line")
	assert.Contains(t, log, "hr: site restart: console restart")
}
