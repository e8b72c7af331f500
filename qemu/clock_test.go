package qemu

import (
	"regexp"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

var dateLine = regexp.MustCompile(`(?m)^(\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ) \((.*), correction (\S+)\)\r?$`)

// date reads the board's date from `date`, with its source and correction.
func (s *session) date() (time.Time, string, string) {
	s.t.Helper()
	m := dateLine.FindStringSubmatch(s.run("date"))
	require.NotNil(s.t, m, "date line")
	d, err := time.Parse(time.RFC3339, m[1])
	require.NoError(s.t, err)
	return d, m[2], m[3]
}

// The board tells the host's date (semihosting), `date set` moves it by a
// correction kept in the bank through the site restart it makes and the
// next `restart`, and `stats` prints it.
func TestWallClock(t *testing.T) {
	s := boot(t)
	s.banner()
	d, src, corr := s.date()
	assert.Equal(t, "host clock (semihosting)", src)
	assert.Equal(t, "0s", corr)
	assert.WithinDuration(t, time.Now(), d, time.Minute)
	ready := regexp.MustCompile(`hr: ready in \S+ at (\S+)\r?\n`).FindStringSubmatch(s.Transcript())
	require.NotNil(t, ready, "the boot says when it was ready")
	at, err := time.Parse(time.RFC3339, ready[1])
	require.NoError(t, err)
	assert.WithinDuration(t, time.Now(), at, time.Minute)
	assert.NotContains(t, s.run("pmm ls"), "__SYS.clock", "no correction block while none is needed")

	assert.Contains(t, s.run("date set tomorrow"), `error: date set: "tomorrow": want 2026-12-03T10:00:00Z or 2026-12-03 10:00:00 (UTC)`)
	assert.Contains(t, s.run("date set 1980-01-01"), "error: date set: date 1980-01-01 out of range (2000-01-01 … 2106-01-01)")

	set := time.Date(2031, 5, 6, 7, 8, 9, 0, time.UTC)
	require.NoError(t, s.Send("date set 2031-05-06T07:08:09Z"))
	s.expect(`date: clock set to 2031-05-06T07:08:09Z \(correction \+\S+\); the site restarts so that every timer runs on it`)
	state, _, why := s.banner()
	assert.Equal(t, "warm", state)
	assert.Contains(t, why, "console date set")
	s.expect(prompt)
	d, _, corr = s.date()
	assert.NotEqual(t, "0s", corr)
	assert.WithinDuration(t, set, d, 30*time.Second, "the set date, advanced by the restart")
	assert.False(t, d.Before(set.Add(-time.Second)))
	assert.Contains(t, s.run("pmm ls"), "__SYS.clock")

	require.NoError(t, s.Send("restart"))
	s.banner()
	s.expect(prompt)
	d2, _, corr2 := s.date()
	assert.Equal(t, corr, corr2, "the correction kept across a site restart")
	assert.False(t, d2.Before(d), "advanced: %v then %v", d, d2)
	assert.WithinDuration(t, set, d2, time.Minute)
	assert.Regexp(t, `(?m)^date: 2031-05-06T07:\d\d:\d\dZ \(host clock \(semihosting\), correction \+\S+\)\r?$`, s.run("stats"))
	// uptime counts this boot, not the years the clock moved
	assert.Regexp(t, `^up \d+(\.\d+)?m?s`, s.run("uptime"))
}

// `date set` over SSH (exec) sets the clock as on the UART: the site
// restarts, the new date is there after it, over SSH too.
func TestWallClockOverSSH(t *testing.T) {
	s, port := sshBoot(t)
	c := dial(t, port)
	assert.Regexp(t, `^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ \(host clock \(semihosting\), correction 0s\)`, execOn(t, c, "date"))
	sess, err := c.NewSession()
	require.NoError(t, err)
	_ = sess.Start("date set 2040-01-02 03:04:05") // the connection dies with the site
	state, _, why := s.banner()
	assert.Equal(t, "warm", state)
	assert.Contains(t, why, "console date set")
	s.expect(`ssh: serving the console`)
	c.Close()
	c2 := dial(t, port)
	out := execOn(t, c2, "date")
	m := dateLine.FindStringSubmatch(out)
	require.NotNil(t, m, out)
	d, err := time.Parse(time.RFC3339, m[1])
	require.NoError(t, err)
	assert.WithinDuration(t, time.Date(2040, 1, 2, 3, 4, 5, 0, time.UTC), d, time.Minute)
}

// Under QEMU without semihosting the board has no real-time clock: it boots
// all the same (the semihosting call that reaches the SVC vector answers
// -1 instead of resetting the board), says so, and `date set` refuses.
func TestWallClockWithoutSemihosting(t *testing.T) {
	s := startWith(t, image(t), Options{Extra: []string{"-semihosting-config", "enable=off"}})
	state, n, _ := s.banner()
	assert.Equal(t, "cold", state)
	assert.Equal(t, 1, n)
	assert.Contains(t, s.Transcript(), "hr: clock: no real-time clock (semihosting SYS_TIME answered -1: QEMU without -semihosting?): time.Now counts from 1970")
	assert.Regexp(t, `^1970-01-01T00:00:\d\dZ \(no real-time clock: `, s.run("date"))
	assert.Contains(t, s.run("date set 2030-01-01"), "error: date set: the real-time clock cannot be read: semihosting SYS_TIME answered -1")
	assert.NotContains(t, s.Transcript(), "hr: fault")
}

// The date set survives an upgrade: the new version reads the correction.
func TestWallClockKeptByUpgrade(t *testing.T) {
	v2 := envImage(t, "HR_V2_IMAGE")
	s := boot(t)
	s.banner()
	require.NoError(t, s.Send("date set 2033-03-03T03:03:03Z"))
	s.banner()
	s.expect(prompt)
	require.NoError(t, s.Send("upgrade semihost:"+v2))
	assert.Contains(t, s.bootLine(), "version v2-test")
	s.expect(`startup of v2 ran`)
	s.expect(prompt)
	d, _, corr := s.date()
	assert.NotEqual(t, "0s", corr)
	assert.WithinDuration(t, time.Date(2033, 3, 3, 3, 3, 3, 0, time.UTC), d, time.Minute)
}
