package qemu

import (
	"os"
	"strconv"
	"testing"
	"time"

	"github.com/stretchr/testify/require"
)

const (
	prompt  = `hr> `
	bootRe  = `hr: (cold|warm) boot (\d+) on \S+ \(([^\n]*)\)`
	timeout = 20 * time.Second
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

// boot starts QEMU on the image and waits for the first prompt. The
// transcript is logged when the test fails; QEMU is always killed.
func boot(t *testing.T, extra ...string) *session {
	t.Helper()
	m, err := Start(image(t), Options{Limit: 4 * time.Minute, Extra: extra})
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
	s.expect(prompt)
	return m[1], n, m[3]
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
	// skip the echo of the line itself, then collect up to the prompt
	m := s.expect(`(?s)\n(.*?)` + prompt)
	return m[1]
}
