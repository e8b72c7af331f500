package qemu

import (
	"bytes"
	"crypto/rand"
	"fmt"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
	"time"

	"aead.dev/minisign"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	"golang.org/x/crypto/ssh"
)

// The hot upgrade (issue #16). v1 is the image under test (HR_IMAGE); v2 is
// the same kernel built with VERSION=v2-test and another startup script
// (HR_V2_IMAGE, with an 8 s trial), v2-bad one whose startup script crashes at every boot
// (HR_V2BAD_IMAGE: a hot reboot loop; HR_V2PANIC_IMAGE: a fatal error).
// QEMU's semihosting reads the images from the host.

const v2Version = "v2-test"

// version returns what the `version` command says runs (its line, among
// whatever actors print meanwhile).
func (s *session) version() string {
	s.t.Helper()
	out := s.run("version")
	m := regexp.MustCompile(`(?m)^(\S+) on mx6ullevk\r?$`).FindStringSubmatch(out)
	require.NotNil(s.t, m, "version: VERSION on BOARD:\n%s", out)
	return m[1]
}

// bootLine waits for the next boot banner and returns it whole.
func (s *session) bootLine() string {
	s.t.Helper()
	return strings.TrimRight(s.expect(`hr: (?:cold|warm) boot \d+ on [^\n]*\n`)[0], "\r\n")
}

// On v1: groups running, a block written; `upgrade semihost:` v2 boots v2
// warm with both intact, a site restart during the trial restarts v2, and
// the trial commits by itself after 8 s of run time.
func TestUpgradeKeepsBankAndGroups(t *testing.T) {
	v2 := envImage(t, "HR_V2_IMAGE")
	s := boot(t)
	s.banner()
	v1 := s.version()
	require.NotEqual(t, v2Version, v1)
	a := s.arun("-g 1 idle")
	b := s.arun("-g 2 counter")
	s.expect(`counter-client: connected at \d+`)
	s.run("pmm alloc app 8192 appkey")
	s.run("pmm write app kept-by-upgrade")
	assert.Contains(t, noCR(s.run("upgrade status")), "state: no upgrade\n")

	require.NoError(t, s.Send("upgrade semihost:"+v2))
	size, err := os.Stat(v2)
	require.NoError(t, err)
	s.expect(fmt.Sprintf(`upgrade: received %d bytes`, size.Size()))
	s.expect(`upgrade: v2-test checked and staged in \d+ms; ` + regexp.QuoteMeta(v1) + ` kept for a rollback`)
	assert.Regexp(t, `^hr: warm boot 2 on mx6ullevk \(upgrade from `+regexp.QuoteMeta(v1)+` to v2-test\); bank .*; version v2-test$`, s.bootLine())
	s.expect(`hr: upgrade: trial: v2-test \(previous ` + regexp.QuoteMeta(v1) + `\), \d+ of 8000 ms`)
	s.expect(`hr: 2 groups resumed`)
	s.expect(`startup of v2 ran`)
	s.expect(`counter-client: connected at \d+`) // the counter goes on: the client checks every value
	s.expect(prompt)
	s.waitAids(1, 1, []int{a})
	s.waitAids(2, 2, []int{b})
	assert.Contains(t, s.run("pmm dump app"), "kept-by-upgrade")
	assert.Contains(t, s.run("pmm verify"), "bank ok")
	assert.Equal(t, v2Version, s.version())
	st := noCR(s.run("upgrade status"))
	assert.Contains(t, st, "running: v2-test\n")
	assert.Contains(t, st, "staged new: v2-test\n")
	assert.Contains(t, st, "staged previous: "+v1+"\n")
	assert.Regexp(t, `state: trial: v2-test \(previous `+regexp.QuoteMeta(v1)+`\), \d+ of 8000 ms`, st)

	// a site restart during the trial restarts the image that runs
	require.NoError(t, s.Send("restart"))
	assert.Regexp(t, `^hr: warm boot 3 on mx6ullevk \(hot reboot after console restart\); bank .*; version v2-test$`, s.bootLine())
	s.expect(`hr: 2 groups resumed`)
	s.expect(prompt)
	assert.Equal(t, v2Version, s.version())
	assert.Contains(t, s.run("pmm dump app"), "kept-by-upgrade")

	// 8 s of v2's run time with no automatic site restart: committed
	s.expect(`hr: upgrade: committed: v2-test \(previous ` + regexp.QuoteMeta(v1) + `\) after 8000 ms of run time`)
	assert.Contains(t, noCR(s.run("upgrade commit")), "error: upgrade: no upgrade on trial (committed)\n")
	assert.Contains(t, noCR(s.run("upgrade status")), "state: committed: v2-test (previous "+v1+")\n")
}

// A v2 that fails at every boot trips the crash-loop breaker: the next boot
// rolls back to v1 by itself, groups and bank intact, and says why.
func TestUpgradeRollsBackACrashLoop(t *testing.T) {
	s, v1, aid := upgradeFromV1(t, envImage(t, "HR_V2BAD_IMAGE"), "v2-bad")
	for range 4 { // kern.crashLoopCount
		s.expect(`hr: site restart: crash site`)
	}
	why := "crash loop during the trial"
	s.expect(`hr: upgrade: rolled back from v2-bad to ` + regexp.QuoteMeta(v1) + `: ` + why)
	s.rolledBack(s.bootLine(), "(rollback from v2-bad to "+v1+": "+why+")", v1, aid, "v2-bad", why)
	assert.NotContains(t, s.Since(), "SAFE MODE")
}

// A v2 that panics at its first boot ends in a warm reset, which reloads
// the image QEMU loaded, v1 (on silicon: the flashed one): the record says
// the upgrade was rolled back, and the bank and the groups are kept.
func TestUpgradePanicAtStartIsRolledBack(t *testing.T) {
	s, v1, aid := upgradeFromV1(t, envImage(t, "HR_V2PANIC_IMAGE"), "v2-panic")
	s.expect(`panic: crash: panic in the console goroutine`)
	line := s.bootLine()
	why := "a reset reloaded the flashed image during the trial"
	s.expect(`hr: upgrade: rolled back from v2-panic to ` + regexp.QuoteMeta(v1) + `: ` + why)
	s.rolledBack(line, "warm boot 3 on mx6ullevk (warm reset after fatal runtime error)", v1, aid, "v2-panic", why)
}

// A trial that had an automatic site restart and no `upgrade commit` rolls
// back when its run time is up (v2's trial: 8 s), by itself, at run time.
func TestUpgradeTrialWithSiteRestartRollsBack(t *testing.T) {
	s, v1, aid := upgradeFromV1(t, envImage(t, "HR_V2_IMAGE"), v2Version)
	s.expect(prompt)
	require.NoError(t, s.Send("crash site"))
	assert.Contains(t, s.bootLine(), "(hot reboot after crash site); bank ")
	why := "1 automatic site restarts in a 8000 ms trial, no commit"
	s.expect(`hr: upgrade: rolled back from v2-test to ` + regexp.QuoteMeta(v1) + `: ` + why)
	s.rolledBack(s.bootLine(), "(rollback from v2-test to "+v1+": "+why+")", v1, aid, v2Version, why)
}

// upgradeFromV1 boots v1 with group 1 and a block written, upgrades it to
// img (version to) and waits for to's banner. It returns the session, v1's
// version and the group's aid.
func upgradeFromV1(t *testing.T, img, to string) (*session, string, int) {
	s := boot(t)
	s.banner()
	v1 := s.version()
	aid := s.arun("-g 1 idle")
	s.run("pmm alloc app 4096 appkey")
	s.run("pmm write app kept-rollback")
	require.NoError(t, s.Send("upgrade semihost:"+img))
	assert.Contains(t, s.bootLine(), "(upgrade from "+v1+" to "+to+")")
	return s, v1, aid
}

// rolledBack checks that v1 runs again after a rollback from version to,
// with group 1 and the block of upgradeFromV1 back: banner is the boot
// line after the rollback and must contain reason; `upgrade status` says
// why.
func (s *session) rolledBack(banner, reason, v1 string, aid int, to, why string) {
	t := s.t
	assert.Contains(t, banner, reason)
	assert.True(t, strings.HasSuffix(banner, "; version "+v1), banner)
	s.expect(`hr: 1 groups resumed`)
	s.expect(prompt)
	assert.Equal(t, v1, s.version())
	s.waitAids(1, 1, []int{aid})
	assert.Contains(t, s.run("pmm dump app"), "kept-rollback")
	st := noCR(s.run("upgrade status"))
	assert.Contains(t, st, "staged new: "+to+"\n")
	assert.Contains(t, st, "state: rolled back from "+to+" to "+v1+": "+why+"\n")
}

// Every refused image costs one line and nothing stops: v1 keeps running
// with its groups.
func TestUpgradeRefusals(t *testing.T) {
	v2 := envImage(t, "HR_V2_IMAGE")
	mk2 := envImage(t, "HR_MK2_IMAGE")
	soak := envImage(t, "HR_SOAK_IMAGE")
	elf, err := os.ReadFile(v2)
	require.NoError(t, err)
	cut := filepath.Join(t.TempDir(), "cut.elf")
	require.NoError(t, os.WriteFile(cut, elf[:len(elf)-1000], 0o644))

	// the data segment moved by 2 bytes: the copy routine's STM would fault
	unaligned, at := unalignedCopy(t, elf)

	s := boot(t)
	s.banner()
	v1 := s.version()
	a := s.arun("-g 1 idle")
	keeps := "; " + v1 + " keeps running"
	for arg, want := range map[string]string{
		"semihost:" + cut:       fmt.Sprintf("error: upgrade refused: not a firmware image: truncated: %d bytes, the ELF's headers say %d", len(elf)-1000, len(elf)),
		"semihost:" + mk2:       "error: upgrade refused: incompatible image: board usbarmory, running mx6ullevk",
		"semihost:" + soak:      "error: upgrade refused: incompatible image: pmm.maxBlocks 64, running 30",
		"semihost:" + image(t):  "error: upgrade refused: the new image has the running version " + v1 + ": build it with another VERSION=",
		"semihost:/no/such.elf": "error: upgrade: /no/such.elf: cannot open on the host",
		"semihost:" + unaligned: fmt.Sprintf("error: upgrade refused: image does not fit: segment at %#x is not word aligned", at),
		"nonsense":              `error: usage: upgrade: "nonsense" is not semihost:PATH`,
	} {
		out := s.run("upgrade " + arg)
		var errs []string
		for _, l := range strings.Split(strings.TrimSpace(strings.ReplaceAll(out, "\r", "")), "\n") {
			if strings.HasPrefix(l, "error:") {
				errs = append(errs, l)
			}
		}
		require.Len(t, errs, 1, "%s: one error line:\n%s", arg, out)
		if !strings.HasPrefix(want, "error: usage") {
			want += keeps
		}
		assert.Equal(t, want, errs[0], arg)
	}
	assert.Equal(t, v1, s.version())
	assert.Equal(t, []int{a}, s.aidsOf(1))
	assert.Contains(t, noCR(s.run("upgrade status")), "state: no upgrade\n")
	assert.Equal(t, 1, strings.Count(s.Transcript(), "hr: cold boot"))
	assert.NotContains(t, s.Transcript(), "warm boot")
}

// Over the SSH console of the image that trusts the test minisign key:
// unsigned, foreign and mismatched signatures are refused with one line on
// stderr, and so is v2 signed, since it was built without AUTHORIZED_KEYS
// and UPGRADE_KEY: it would lock the operator out and accept any image
// next, unless each is given up by name; `ssh … upgrade --drop-ssh
// --drop-signature < v2.elf v2.elf.minisig` then boots v2.
func TestUpgradeOverSSHSigned(t *testing.T) {
	v2 := envImage(t, "HR_V2_IMAGE")
	keyFile := envImage(t, "HR_UPGRADE_KEY")
	s, port := sshBoot(t)
	c := dial(t, port)
	v1 := s.version()
	elf, err := os.ReadFile(v2)
	require.NoError(t, err)
	text, err := os.ReadFile(keyFile)
	require.NoError(t, err)
	var key minisign.PrivateKey
	require.NoError(t, key.UnmarshalText(text))
	_, other, err := minisign.GenerateKey(rand.Reader)
	require.NoError(t, err)
	trusted := fmt.Sprintf("%X", key.ID())
	cat := func(b ...[]byte) []byte { return bytes.Join(b, nil) }
	signed := cat(elf, minisign.Sign(key, elf))
	const (
		noSSH = "no SSH console (built without AUTHORIZED_KEYS): nobody could log in over the network once it commits; --drop-ssh accepts that"
		noSig = "no upgrade key (built without UPGRADE_KEY): it would accept any image, signed or not; --drop-signature accepts that"
	)

	for name, tc := range map[string]struct {
		cmd    string
		stream []byte
		want   string
	}{
		"unsigned":          {"upgrade", elf, "image is not signed: this image requires a signature by key " + trusted},
		"another key":       {"upgrade", cat(elf, minisign.Sign(other, elf)), fmt.Sprintf("bad signature: signed by key %X, this image trusts %s", other.ID(), trusted)},
		"another image":     {"upgrade", cat(elf, minisign.Sign(key, elf[:len(elf)-1])), "bad signature: does not match the image (key " + trusted + ")"},
		"cut in the middle": {"upgrade", elf[:len(elf)/2], "not a firmware image: "},
		"drops both":        {"upgrade", signed, "the new image drops a protection: " + noSSH + "; " + noSig},
		"drops the key too": {"upgrade --drop-ssh", signed, "the new image drops a protection: " + noSig},
		"drops SSH too":     {"upgrade --drop-signature", signed, "the new image drops a protection: " + noSSH},
		"unsigned, forced":  {"upgrade --drop-ssh --drop-signature", elf, "image is not signed: this image requires a signature by key " + trusted},
	} {
		sess, err := c.NewSession()
		require.NoError(t, err)
		var stdout, stderr strings.Builder
		sess.Stdin, sess.Stdout, sess.Stderr = bytes.NewReader(tc.stream), &stdout, &stderr
		err = sess.Run(tc.cmd)
		var exit *ssh.ExitError
		require.ErrorAs(t, err, &exit, name)
		assert.Equal(t, 1, exit.ExitStatus(), name)
		assert.Contains(t, stdout.String(), fmt.Sprintf("upgrade: received %d bytes", len(tc.stream)), name)
		assert.Equal(t, 1, strings.Count(stderr.String(), "\n"), name)
		assert.True(t, strings.HasPrefix(stderr.String(), "error: upgrade refused: "+tc.want), "%s: %s", name, stderr.String())
		assert.True(t, strings.HasSuffix(stderr.String(), "; "+v1+" keeps running\n"), "%s: %s", name, stderr.String())
	}
	assert.Equal(t, v1, s.version())

	sess, err := c.NewSession()
	require.NoError(t, err)
	var stdout, stderr strings.Builder
	sess.Stdin, sess.Stdout, sess.Stderr = bytes.NewReader(signed), &stdout, &stderr
	require.NoError(t, sess.Start("upgrade --drop-ssh --drop-signature"))
	assert.Contains(t, s.bootLine(), "(upgrade from "+v1+" to v2-test)")
	s.expect(prompt)
	assert.Equal(t, v2Version, s.version())
	// within the 8 s trial, the operator vouches for it
	assert.Contains(t, noCR(s.run("upgrade commit")), "upgrade: committed: v2-test (previous "+v1+")\n")
	// v1 ended the session before the switch: the upload's client
	// returned by itself with status 0 and a line saying what happened
	require.NoError(t, sess.Wait())
	_ = c.Close()
	assert.Contains(t, stdout.String(), "upgrade: v2-test checked and staged in")
	assert.Contains(t, stderr.String(), "; this session ends")
}

// TestUpgradeLatency measures, in one QEMU run, host time to "all groups
// running" for a cold boot (QEMU start to the prompt, the groups started
// by hand), a hot reboot (`restart`) and an upgrade that alternates v1 and
// v2 over semihosting: receive, check and stage (the board's own figure),
// and the switch from the staged image to all groups running. A
// measurement, not a timed test: make test prints it, the README quotes it.
func TestUpgradeLatency(t *testing.T) {
	v1img, v2 := image(t), envImage(t, "HR_V2_IMAGE")
	t0 := time.Now()
	s := boot(t)
	s.banner()
	cold := time.Since(t0)
	s.arun("-g 1 idle")
	s.arun("-g 2 counter")
	var hot, total, sw, banner, stage []time.Duration
	for range 5 {
		t0 := time.Now()
		require.NoError(t, s.Send("restart"))
		s.expect(`hr: 2 groups resumed`)
		hot = append(hot, time.Since(t0))
		s.expect(prompt)
	}
	for i := range 4 {
		img := []string{v2, v1img}[i%2]
		t0 := time.Now()
		require.NoError(t, s.Send("upgrade semihost:"+img))
		m := s.expect(`checked and staged in (\d+)ms`)
		t1 := time.Now()
		s.expect(`hr: warm boot`)
		banner = append(banner, time.Since(t1))
		s.expect(`hr: 2 groups resumed`)
		total = append(total, time.Since(t0))
		sw = append(sw, time.Since(t1))
		d, err := time.ParseDuration(m[1] + "ms")
		require.NoError(t, err)
		stage = append(stage, d)
		s.expect(prompt)
		// no upgrade during a trial: vouch for this one before the next
		require.Contains(t, s.run("upgrade commit"), "upgrade: committed")
	}
	ms := func(d time.Duration) string { return fmt.Sprintf("%.1f ms", float64(d)/1e6) }
	h := median(hot)
	t.Logf("latency to all groups running (host clock, median)")
	t.Logf("  cold boot (QEMU start to prompt)            %s", ms(cold))
	t.Logf("  hot reboot (restart)                        %s", ms(h))
	t.Logf("  upgrade: command to all groups running      %s (semihosting transfer included)", ms(median(total)))
	t.Logf("  upgrade: checks and staging (board clock)   %s", ms(median(stage)))
	t.Logf("  upgrade: switch, staged to all groups       %s (%.2f× the hot reboot; to the banner %s)", ms(median(sw)), float64(median(sw))/float64(h), ms(median(banner)))
	s.waitAids(2, 2, nil) // the counter's client starts after its server
}

func noCR(s string) string { return strings.ReplaceAll(s, "\r", "") }

// An upgrade during a trial is refused (the rollback slot must keep the
// proven version), and a committed upgrade lives in RAM: a board reset
// reloads the flashed image (QEMU: the -kernel one, v1), and the board says
// which version was lost instead of claiming it still runs.
func TestUpgradeCommittedLivesInRAM(t *testing.T) {
	v2 := envImage(t, "HR_V2_IMAGE")
	s := startWith(t, image(t), Options{Limit: 2 * time.Minute, Monitor: filepath.Join(t.TempDir(), "mon.sock")})
	s.banner()
	v1 := s.version()
	aid := s.arun("-g 1 idle")
	require.NoError(t, s.Send("upgrade semihost:"+v2))
	assert.Contains(t, s.bootLine(), "(upgrade from "+v1+" to v2-test)")
	s.expect(`hr: 1 groups resumed`)
	s.expect(prompt)
	assert.Contains(t, noCR(s.run("upgrade semihost:"+v2)),
		"error: upgrade refused: v2-test is on trial (upgrade commit, or wait for its end); v2-test keeps running\n")
	assert.Contains(t, noCR(s.run("upgrade commit")), "upgrade: committed: v2-test (previous "+v1+")\n")

	_, err := s.Monitor("system_reset", 10*time.Second)
	require.NoError(t, err)
	assert.True(t, strings.HasSuffix(s.bootLine(), "; version "+v1))
	why := "a reset reloaded the flashed image " + v1 + "; v2-test ran from RAM only and is gone: flash it to keep it"
	s.expect(`hr: upgrade: reloaded: ` + regexp.QuoteMeta(why))
	s.expect(`hr: 1 groups resumed`)
	s.expect(prompt)
	s.waitAids(1, 1, []int{aid})
	st := noCR(s.run("upgrade status"))
	assert.Contains(t, st, "running: "+v1+"\n")
	assert.Contains(t, st, "state: reloaded: "+why+"\n")
}

// An image without the programs the bank's groups run (the out-of-tree
// firmware, HR_APP_IMAGE: VERSION=app-test, only `odometer`) rolls back at
// its first boot, before any group resumes: a trial would otherwise commit
// a version that left them dead.
func TestUpgradeMissingProgramsRollsBack(t *testing.T) {
	s, v1, aid := upgradeFromV1(t, envImage(t, "HR_APP_IMAGE"), "app-test")
	why := "app-test lacks the programs idle that the bank's groups run"
	s.expect(`hr: upgrade: rolled back from app-test to ` + regexp.QuoteMeta(v1) + `: ` + regexp.QuoteMeta(why))
	s.rolledBack(s.bootLine(), "(rollback from app-test to "+v1+": "+why+")", v1, aid, "app-test", why)
	assert.NotContains(t, s.Since(), "no such program")
}

// An upgrade from safe mode (v1 crash-looped) starts the breaker afresh: the
// new version is judged on its own restarts, so one automatic site restart
// in its trial is no crash loop.
func TestUpgradeFromSafeModeJudgesTheNewVersionAlone(t *testing.T) {
	v2 := envImage(t, "HR_V2_IMAGE")
	s := boot(t)
	s.banner()
	v1 := s.version()
	for i := range 4 { // kern.crashLoopCount
		require.NoError(t, s.Send("crash site"))
		s.bootLine()
		if i == 3 {
			s.expect(`hr: SAFE MODE`)
		}
		s.expect(prompt)
	}
	require.NoError(t, s.Send("upgrade semihost:"+v2))
	assert.Contains(t, s.bootLine(), "(upgrade from "+v1+" to v2-test)")
	s.expect(prompt)
	require.NoError(t, s.Send("crash site"))
	assert.Contains(t, s.bootLine(), "(hot reboot after crash site); bank ")
	s.expect(`hr: upgrade: trial: v2-test`)
	s.expect(prompt)
	assert.Equal(t, v2Version, s.version())
	assert.NotContains(t, s.Since(), "rolled back")
}
