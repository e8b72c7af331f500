package qemu

import (
	"os"
	"regexp"
	"strconv"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"github.com/hotrestart/tamago-hr/actors"
)

const (
	prompt  = `hr> `
	bootRe  = `hr: (cold|warm) boot (\d+) on \S+ \(([^\n]*?)\); bank `
	timeout = 20 * time.Second
	// settle: output this quiet ends a command (UART chunks come far closer)
	settle = 40 * time.Millisecond
)

// image returns the image under test, or skips when the Makefile did not
// provide one (plain `go test ./...` on a host without a build).
func image(t *testing.T) string {
	img := os.Getenv("HR_IMAGE")
	if img == "" {
		t.Skip("HR_IMAGE not set: run `make test`")
	}
	return img
}

// session is a booted machine with test helpers.
type session struct {
	*Machine
	t *testing.T
}

// boot starts QEMU on the image under test.
func boot(t *testing.T, extra ...string) *session {
	t.Helper()
	return start(t, image(t), extra...)
}

// testImage boots the second image (startup script, tight policy).
func testImage(t *testing.T) *session {
	t.Helper()
	return start(t, envImage(t, "HR_TEST_IMAGE"))
}

// envImage returns the image the Makefile passes in the environment
// variable name, or skips.
func envImage(t *testing.T, name string) string {
	img := os.Getenv(name)
	if img == "" {
		t.Skipf("%s not set: run `make test`", name)
	}
	return img
}

// start boots img.
func start(t *testing.T, img string, extra ...string) *session {
	t.Helper()
	return startWith(t, img, Options{Extra: extra})
}

// startWith boots img with o (Limit defaults to 4 minutes).
func startWith(t *testing.T, img string, o Options) *session {
	t.Helper()
	if o.Limit == 0 {
		o.Limit = 4 * time.Minute
	}
	m, err := Start(img, o)
	require.NoError(t, err)
	s := &session{Machine: m, t: t}
	t.Cleanup(func() {
		m.Kill()
		if t.Failed() {
			t.Logf("console transcript:\n%s", m.Transcript())
		}
	})
	return s
}

// banner waits for a boot banner and returns cold/warm, the boot count and
// the reason.
func (s *session) banner() (string, int, string) {
	s.t.Helper()
	m, err := s.Expect(bootRe, timeout)
	require.NoError(s.t, err)
	n, _ := strconv.Atoi(m[2])
	s.expect(`hr: ready in [^\r\n]*\r?\n`)
	// A restarted boot waits for the line to be quiet before its first
	// prompt (what was typed meanwhile is discarded): what groups and the
	// network print after "ready" may come before the prompt, and stays
	// expectable, as it was when the prompt came at once.
	ready := s.position()
	s.expect(prompt)
	s.Unread(s.position() - ready)
	return m[1], n, m[3]
}

// position is where Expect searches from.
func (s *session) position() int {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.pos
}

// expect waits for pattern and returns its submatches.
func (s *session) expect(pattern string) []string {
	s.t.Helper()
	m, err := s.Expect(pattern, timeout)
	require.NoError(s.t, err)
	return m
}

// run sends a command and returns what it printed up to the next prompt.
func (s *session) run(line string) string {
	s.t.Helper()
	require.NoError(s.t, s.Send(line))
	// from the echo of the line itself up to the last prompt of the output
	// so far, and the log lines printed below it (kernel/console's
	// logGate): a log replayed by dmesg holds prompts too
	m, err := s.ExpectSettled(`(?s)`+regexp.QuoteMeta(line)+`\r?\n(.*)`+prompt+`(\r\n.*\r\n)?$`, settle, timeout)
	require.NoError(s.t, err)
	// actor output may have arrived in the same window: leave all of it
	// expectable, only the echo is consumed
	s.Unread(len(m[1]) + len(prompt) + len(m[2]))
	return m[1]
}

// arun starts a program and returns its aid.
func (s *session) arun(args string) int {
	s.t.Helper()
	out := s.run("arun " + args)
	m := regexp.MustCompile(`Started aid = (\d+)`).FindStringSubmatch(out)
	require.NotNil(s.t, m, "arun %s: %s", args, out)
	n, _ := strconv.Atoi(m[1])
	return n
}

// aidsOf returns the aids `aps` lists for a group, in order.
func (s *session) aidsOf(gid int) []int {
	s.t.Helper()
	return actors.APSGroupAIDs(s.run("aps"), gid)
}

// waitAids polls `aps` until group gid lists n aids different from old.
func (s *session) waitAids(gid, n int, old []int) []int {
	s.t.Helper()
	deadline := time.Now().Add(timeout)
	for time.Now().Before(deadline) {
		aids := s.aidsOf(gid)
		if len(aids) == n && !overlap(aids, old) {
			return aids
		}
		time.Sleep(300 * time.Millisecond)
	}
	require.FailNow(s.t, "group did not come back", "group %d: want %d new aids (old %v), aps:\n%s", gid, n, old, s.run("aps"))
	return nil
}

func overlap(a, b []int) bool {
	for _, x := range a {
		for _, y := range b {
			if x == y {
				return true
			}
		}
	}
	return false
}
