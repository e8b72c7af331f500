package qemu

import (
	"fmt"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	"golang.org/x/crypto/ssh"

	"github.com/hotrestart/tamago-hr/kernel/netconsole/idlepeer"
)

// A peer that holds 8, then 64 idle TCP connections to the SSH port (no
// SSH byte sent), reopening each one the board drops, does not keep the key
// holder out: QEMU's user network puts every connection on 10.0.0.2, so
// nothing tells the peer from the key holder but what they send. The heap
// is reported before, during and after.
func TestSSHIdleConnectionsDoNotLockOut(t *testing.T) {
	s, port := sshBoot(t)
	addr := fmt.Sprintf("127.0.0.1:%d", port)
	t.Logf("heap before: %s", heap(t, s))
	for _, held := range []int{8, 64} {
		peer, err := idlepeer.Hold(addr, held, timeout)
		require.NoError(t, err)
		t.Cleanup(peer.Stop)
		for i := range 3 {
			start := time.Now()
			c, err := dialWith(port, clientConfig(testSigner(t), ssh.InsecureIgnoreHostKey()))
			require.NoError(t, err, "login %d with %d idle connections held", i, held)
			assert.Contains(t, execOn(t, c, "version"), " on mx6ullevk\n")
			c.Close()
			t.Logf("%d idle connections held: login %d took %v", held, i, time.Since(start).Round(time.Millisecond))
		}
		t.Logf("heap with %d idle connections held: %s", held, heap(t, s))
		peer.Stop()
	}
	// The drops are logged once per burst: the first line, then the count
	// when the burst is over (10 s).
	require.Eventually(t, func() bool {
		return regexp.MustCompile(`ssh: \d+ more failed or dropped connection\(s\) in 10s`).MatchString(s.Transcript())
	}, timeout, settle)
	assert.Less(t, strings.Count(s.Transcript(), "waiting for login, dropped"), 3, "not one line per drop")
	t.Logf("heap after: %s", heap(t, s))
	assert.Regexp(t, `^up \d`, s.run("uptime"))
}

// heap runs `gc` on the UART and returns the heap in use after it.
func heap(t *testing.T, s *session) string {
	m := regexp.MustCompile(`gc: heap in use \d+ -> (\d+) bytes`).FindStringSubmatch(s.run("gc"))
	require.NotNil(t, m)
	return m[1] + " bytes"
}
