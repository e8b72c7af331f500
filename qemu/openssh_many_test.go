package qemu

import (
	"os/exec"
	"strconv"
	"sync"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// Eight OpenSSH clients at once (with OpenSSH's default log level, which
// prints a refusal): four get a prompt, and every other one is told the
// console is busy, whether it was refused a session on a connection the
// board keeps or one past the connection limit, which it closes;
// ssh-keyscan answers meanwhile.
func TestOpenSSHManyClients(t *testing.T) {
	s, port := sshBoot(t)
	const n = 8
	clients := make([]*opensshSession, n)
	for i := range n {
		clients[i] = startOpenSSH(t, port, "-tt", "-o", "LogLevel=INFO")
	}
	var wg sync.WaitGroup
	outcome := make([]string, n)
	for i, o := range clients {
		wg.Add(1)
		go func() {
			defer wg.Done()
			m, err := o.expectWithin(`hr> |channel 0: open failed: resource shortage: (console busy: all 4 sessions in use, try again later)\r\n`, timeout)
			if err != nil {
				outcome[i] = "neither: " + o.transcript()
				return
			}
			outcome[i] = m[0]
			if m[1] != "" {
				assert.Equal(t, 255, o.wait(), "a refused client returns by itself")
			}
		}()
	}
	wg.Wait()
	prompts := 0
	for i, got := range outcome {
		if got == prompt {
			prompts++
			continue
		}
		assert.Contains(t, got, "console busy", "client %d", i)
	}
	assert.Equal(t, 4, prompts, "%q", outcome)

	// the four shells stay; two clients hold connections without a
	// session (ssh -N), the spare ones: the next clients are past every
	// limit, and are told the same
	for range 2 {
		o := startOpenSSH(t, port, "-N", "-v")
		o.expect(`Authenticated to 127\.0\.0\.1`)
		t.Cleanup(func() { o.cmd.Process.Kill() })
	}
	for i := range 2 {
		o := startOpenSSH(t, port, "-tt", "-o", "LogLevel=INFO")
		o.expect(`channel 0: open failed: resource shortage: console busy: all 4 sessions in use, try again later\r\n`)
		assert.Equal(t, 255, o.wait(), "past the connection limit, client %d", i)
	}
	s.expect(`"console" logged in, but 6 connections are open already: refused`)

	keyscan, err := exec.LookPath("ssh-keyscan")
	if err != nil {
		t.Skip("no ssh-keyscan: make test installs openssh-client")
	}
	out, err := exec.Command(keyscan, "-p", strconv.Itoa(port), "-t", "ed25519", "127.0.0.1").CombinedOutput()
	require.NoError(t, err, "%s", out)
	assert.Regexp(t, `(?m)^\[127\.0\.0\.1\]:\d+ ssh-ed25519 AAAA`, string(out), "ssh-keyscan has the host key while the console is full")
	for _, o := range clients {
		o.stdin.Close() // the shells end
	}
	s.run("uptime")
}
