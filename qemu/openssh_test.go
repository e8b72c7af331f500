package qemu

import (
	"context"
	"errors"
	"os/exec"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// openssh runs Debian's OpenSSH client against the board on port with
// the test key, and returns its exit status and what it printed. A client
// that does not return within limit is a failure: it hung.
func openssh(t *testing.T, port int, limit time.Duration, args ...string) (int, string) {
	t.Helper()
	bin, argv := opensshArgs(t, port, args...)
	ctx, cancel := context.WithTimeout(context.Background(), limit)
	defer cancel()
	cmd := exec.CommandContext(ctx, bin, argv...)
	out, err := cmd.CombinedOutput()
	require.NoError(t, ctx.Err(), "ssh %v hung: %s", args, out)
	var exit *exec.ExitError
	if errors.As(err, &exit) {
		return exit.ExitCode(), string(out)
	}
	require.NoError(t, err)
	return 0, string(out)
}

// `ssh board restart` with the OpenSSH client people use returns on its
// own across the site restart, with and without a terminal (-tt, as
// Ansible's raw module runs it), with exit status 0 and a line saying what
// happens; the board comes back and serves again.
func TestOpenSSHReturnsAcrossRestart(t *testing.T) {
	s, port := sshBoot(t)
	code, out := openssh(t, port, 30*time.Second, "version")
	require.Equal(t, 0, code, out)
	assert.Contains(t, out, "on mx6ullevk")

	for i, flags := range [][]string{nil, {"-tt"}} {
		args := append(flags[:len(flags):len(flags)], "restart")
		code, out := openssh(t, port, 30*time.Second, args...)
		assert.Equal(t, 0, code, "ssh %v: %s", args, out)
		assert.Contains(t, out, "hr: site restart: console restart; this session ends", "ssh %v", args)
		s.expect(`hr: warm boot ` + strconv.Itoa(i+2))
		s.expect(`ssh: serving the console on 10\.0\.0\.1:22`)
	}

	// every command that goes down is the one its exec's status is for,
	// date set too (hostile finding CMD23-2: it exited with HUP)
	code, out = openssh(t, port, 30*time.Second, "date set 2030-06-01 12:00:00")
	assert.Equal(t, 0, code, out)
	assert.Contains(t, out, "hr: site restart: console date set; this session ends")
	s.expect(`hr: warm boot 4 `)
	s.expect(`ssh: serving the console on 10\.0\.0\.1:22`)

	// a script that goes down while its client still sends the rest of
	// it: the client hangs up by itself once told, and exits 0, not 255
	// with "Broken pipe" (hostile finding R2-8: 3 runs in 7)
	tail := strings.Repeat("# never run, the board is going down\n", 240000) // 8.6 MB: more than the channel window
	for boot := 5; boot <= 7; boot++ {
		code, stdout, stderr := opensshStdin(t, port, "uptime\nrestart\n"+tail, "-T")
		assert.Equal(t, 0, code, "%s%s", stdout, stderr)
		assert.Equal(t, "hr: site restart: console restart; this session ends\n", stderr)
		s.expect(`hr: warm boot ` + strconv.Itoa(boot) + ` `)
		s.expect(`ssh: serving the console on 10\.0\.0\.1:22`)
	}

	// an interactive session's log says what happens, and its last line
	// only that it ends: not the same line twice (hostile finding C3); a
	// session whose log is off is told in its last line (CMD23-1)
	quiet := startOpenSSH(t, port, "-tt")
	quiet.expect(prompt)
	quiet.send("log off")
	quiet.expect(`log off: this session shows only the answers to its commands \(log on: back\)\r\n` + prompt)
	o := startOpenSSH(t, port, "-tt")
	o.expect(prompt)
	o.send("restart")
	assert.Equal(t, 0, o.wait(), o.transcript())
	assert.True(t, strings.HasSuffix(sessionText(o), "restart\r\nhr: site restart: console restart\r\n\r\nhr: this session ends\r\n"), "%q", o.transcript())
	assert.Equal(t, 0, quiet.wait(), quiet.transcript())
	assert.True(t, strings.HasSuffix(sessionText(quiet), prompt+"\r\nhr: site restart: console restart; this session ends\r\n"), "%q", quiet.transcript())
	s.expect(`hr: warm boot 8 `)
}

// sessionText is what the board sent an OpenSSH session: its transcript
// without the line the client adds of its own when the connection's close
// overtakes the channel's (after the exit status: the status stays 0).
func sessionText(o *opensshSession) string {
	return strings.TrimSuffix(o.transcript(), "Connection to 127.0.0.1 closed by remote host.\r\n")
}

// A client that only waits for output learns of a system crash from its
// keepalives, as the README tells scripts to ask for: with
// ServerAliveInterval it ends with status 255 on its own once the board
// is back (hostile findings R2-4, R2-7: without it, it waits for ever).
func TestOpenSSHKeepaliveAcrossACrash(t *testing.T) {
	s, port := sshBoot(t)
	o := startOpenSSH(t, port, "-o", "ServerAliveInterval=1", "-o", "ServerAliveCountMax=3", "bench restart -n 100000")
	o.expect(`bench: group restart of 8 actors`)
	require.NoError(t, s.Send("crash panic"))
	s.expect(`hr: warm boot 2 `)
	assert.Equal(t, 255, o.wait(), o.transcript())
}
