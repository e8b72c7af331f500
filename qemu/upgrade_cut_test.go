package qemu

import (
	"bufio"
	"io"
	"os"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	"golang.org/x/crypto/ssh"
)

// An upgrade over SSH that another console's restart cuts is not the
// command that went down: its client ends with the signal HUP, never with
// the status 0 of an upgrade that took place, and the board runs the
// version it ran (hostile finding CMD23-7: a deployment script recorded
// an upgrade that never happened).
func TestUpgradeOverSSHCutByRestart(t *testing.T) {
	s, port := sshBoot(t)
	v1 := s.version()
	stream, err := os.ReadFile(envImage(t, "HR_V2_IMAGE"))
	require.NoError(t, err)
	c := dial(t, port)
	sess, err := c.NewSession()
	require.NoError(t, err)
	in, feed := io.Pipe()
	var stderr strings.Builder
	sess.Stdin, sess.Stderr = in, &stderr
	out, err := sess.StdoutPipe()
	require.NoError(t, err)
	require.NoError(t, sess.Start("upgrade"))
	// the board has received 2 MiB and says so; the rest waits for a
	// restart that is someone else's
	go func() { _, _ = feed.Write(stream[:3<<20]) }()
	progress := bufio.NewScanner(out)
	require.True(t, progress.Scan(), "no progress: %v", progress.Err())
	require.Equal(t, "upgrade: 2097152 bytes", progress.Text())
	go func() { _, _ = io.Copy(io.Discard, out) }()
	require.NoError(t, s.Send("restart"))
	s.expect(`hr: warm boot 2 on \S+ \(hot reboot after console restart\)`)
	err = sess.Wait()
	_ = feed.Close()
	var exit *ssh.ExitError
	require.ErrorAs(t, err, &exit, stderr.String())
	assert.Equal(t, "HUP", exit.Signal(), stderr.String())
	assert.Equal(t, "hr: site restart: console restart; this session ends\n", stderr.String())
	s.expect(prompt)
	assert.Equal(t, v1, s.version(), "nothing was upgraded")
}
