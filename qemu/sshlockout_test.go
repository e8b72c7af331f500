package qemu

import (
	"fmt"
	"net"
	"regexp"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	"golang.org/x/crypto/ssh"
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
		stop := holdIdle(t, addr, held)
		for i := range 3 {
			start := time.Now()
			c, err := dialWith(port, clientConfig(testSigner(t), ssh.InsecureIgnoreHostKey()))
			require.NoError(t, err, "login %d with %d idle connections held", i, held)
			assert.Contains(t, execOn(t, c, "version"), " on mx6ullevk\n")
			c.Close()
			t.Logf("%d idle connections held: login %d took %v", held, i, time.Since(start).Round(time.Millisecond))
		}
		t.Logf("heap with %d idle connections held: %s", held, heap(t, s))
		stop()
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

// holdIdle keeps n TCP connections to addr open without sending a byte,
// reopening each one the other end closes, until stop is called.
func holdIdle(t *testing.T, addr string, n int) (stop func()) {
	var mu sync.Mutex
	stopped := false
	open := map[net.Conn]bool{}
	var wg sync.WaitGroup
	for range n {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for {
				c, err := net.Dial("tcp", addr)
				mu.Lock()
				if stopped {
					mu.Unlock()
					if err == nil {
						c.Close()
					}
					return
				}
				if err != nil {
					mu.Unlock()
					time.Sleep(10 * time.Millisecond)
					continue
				}
				open[c] = true
				mu.Unlock()
				var b [256]byte
				for err == nil {
					_, err = c.Read(b[:]) // the version line, then EOF when dropped
				}
				mu.Lock()
				delete(open, c)
				mu.Unlock()
				c.Close()
			}
		}()
	}
	require.Eventually(t, func() bool { mu.Lock(); defer mu.Unlock(); return len(open) == n }, timeout, settle)
	var once sync.Once
	stop = func() {
		once.Do(func() {
			mu.Lock()
			stopped = true
			for c := range open {
				c.Close()
			}
			mu.Unlock()
			wg.Wait()
		})
	}
	t.Cleanup(stop)
	return stop
}
