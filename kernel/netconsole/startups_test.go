package netconsole

import (
	"fmt"
	"net"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	"golang.org/x/crypto/ssh"

	"github.com/hotrestart/tamago-hr/kernel/netconsole/idlepeer"
)

// pipe is one end of an in-memory connection; the other end is closed at
// the end of the test.
func pipe(t *testing.T) net.Conn {
	a, b := net.Pipe()
	t.Cleanup(func() { a.Close(); b.Close() })
	return a
}

// A full budget evicts the oldest silent connection, then, when every
// waiting one has spoken, the oldest of all; never one younger than
// speakWithin.
func TestStartupsEvictOldestSilentFirst(t *testing.T) {
	ss := newStartups(3, 0)
	a, v := ss.admit(pipe(t))
	require.Nil(t, v)
	b, v := ss.admit(pipe(t))
	require.Nil(t, v)
	c, v := ss.admit(pipe(t))
	require.Nil(t, v)
	a.spoke.Store(true)

	d, v := ss.admit(pipe(t))
	assert.Same(t, b, v, "the oldest silent one, not a, which spoke")
	c.spoke.Store(true)
	d.spoke.Store(true)
	_, v = ss.admit(pipe(t))
	assert.Same(t, a, v, "all spoke: the oldest")
	assert.Equal(t, 3, ss.waiting())

	assert.True(t, ss.done(a), "a was evicted")
	assert.False(t, ss.done(c))
	assert.Equal(t, 2, ss.waiting())
}

// A full budget of young connections makes the newcomer wait, not evict:
// until one is old enough, or one leaves.
func TestStartupsYoungAreNotEvicted(t *testing.T) {
	const young = 50 * time.Millisecond
	ss := newStartups(2, young)
	a, _ := ss.admit(pipe(t))
	ss.admit(pipe(t))
	_, v := ss.admit(pipe(t))
	assert.Same(t, a, v)
	assert.GreaterOrEqual(t, time.Since(a.since), young, "a was evicted only once old enough")

	ss = newStartups(1, time.Hour)
	b, _ := ss.admit(pipe(t))
	got := make(chan *startup)
	go func() { _, v := ss.admit(pipe(t)); got <- v }()
	select {
	case <-got:
		t.Fatal("a young connection was evicted")
	case <-time.After(20 * time.Millisecond):
	}
	assert.False(t, ss.done(b))
	select {
	case v := <-got:
		assert.Nil(t, v, "room made by b leaving")
	case <-time.After(wait):
		t.Fatal("the newcomer still waits after b left")
	}
}

// A byte read marks a connection as one that spoke.
func TestStartupSpeaks(t *testing.T) {
	a, b := net.Pipe()
	defer a.Close()
	defer b.Close()
	s := &startup{Conn: a}
	go b.Write([]byte("S"))
	_, err := s.Read(make([]byte, 1))
	require.NoError(t, err)
	assert.True(t, s.spoke.Load())
}

// A peer holding many more idle connections than the budget, reopening
// each one the server drops, does not keep the key holder out: the login
// grace time is an hour, so only eviction can let the key holder in.
func TestIdleConnectionsDoNotLockOut(t *testing.T) {
	for _, held := range []int{8, 64} {
		t.Run(fmt.Sprint(held), func(t *testing.T) {
			var lines logLines
			ts := startServer(t, func(c *Config) {
				c.MaxStartups = 4
				c.LoginGrace = time.Hour
				c.speakWithin = 20 * time.Millisecond
				c.Log = lines.add
			})
			peer, err := idlepeer.Hold(ts.addr, held, wait)
			require.NoError(t, err)
			defer peer.Stop()
			for range 3 {
				c := ts.login(t)
				sess, err := c.NewSession()
				require.NoError(t, err)
				out, err := sess.Output("echo in")
				require.NoError(t, err)
				assert.Equal(t, "in\n", string(out))
				c.Close()
			}
			peer.Stop()
			assert.Equal(t, 1, lines.count("waiting for login, dropped"), "one line per burst:\n%s", lines.String())
		})
	}
}

// After MaxAuthTries refused keys the server hangs up, even if the next
// key would be the right one.
func TestMaxAuthTries(t *testing.T) {
	var lines logLines
	ts := startServer(t, func(c *Config) { c.Log = lines.add })
	var keys []ssh.Signer
	for i := range MaxAuthTries + 1 {
		keys = append(keys, testSigner(t, byte(10+i)))
	}
	_, err := ts.dial(t, ssh.PublicKeys(append(keys, ts.user)...))
	require.Error(t, err)
	_, err = ts.dial(t, ssh.PublicKeys(keys[0], ts.user))
	require.NoError(t, err, "one wrong key first is fine")
	assert.Equal(t, 1, lines.count("auth as"), "refusals logged once per burst:\n%s", lines.String())
}

// A burst of events is one line, and one more with the count.
func TestBurstLog(t *testing.T) {
	var lines logLines
	b := newBurstLog(lines.add, 20*time.Millisecond)
	for i := range 100 {
		b.logf("ssh: failure %d", i)
	}
	require.Eventually(t, func() bool { return lines.count("") == 2 }, wait, time.Millisecond)
	assert.Equal(t, "ssh: failure 0\nssh: 99 more failed or dropped connection(s) in 20ms, not logged one by one\n", lines.String())
	b.logf("ssh: later")
	assert.Equal(t, 1, lines.count("later"), "a new burst is logged at once")
}

// logLines collects log lines.
type logLines struct {
	mu    sync.Mutex
	lines []string
}

func (l *logLines) add(f string, a ...any) {
	l.mu.Lock()
	defer l.mu.Unlock()
	l.lines = append(l.lines, fmt.Sprintf(f, a...))
}

func (l *logLines) count(sub string) int {
	l.mu.Lock()
	defer l.mu.Unlock()
	n := 0
	for _, s := range l.lines {
		if strings.Contains(s, sub) {
			n++
		}
	}
	return n
}

func (l *logLines) String() string {
	l.mu.Lock()
	defer l.mu.Unlock()
	return strings.Join(l.lines, "\n") + "\n"
}
