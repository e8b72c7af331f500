package qemu

import (
	"fmt"
	"io"
	"math/rand/v2"
	"net"
	"regexp"
	"sync"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	"golang.org/x/crypto/ssh"
)

// gatedConn is a client connection whose reading the test can stop, as a
// client that hangs (or a laptop that sleeps) does.
type gatedConn struct {
	net.Conn
	mu   sync.Mutex
	open chan struct{} // closed while reading is allowed
}

func (g *gatedConn) Read(p []byte) (int, error) {
	g.mu.Lock()
	open := g.open
	g.mu.Unlock()
	<-open
	return g.Conn.Read(p)
}

func (g *gatedConn) stall() {
	g.mu.Lock()
	g.open = make(chan struct{})
	g.mu.Unlock()
}

func (g *gatedConn) resume() {
	g.mu.Lock()
	close(g.open)
	g.mu.Unlock()
}

// dumpLine is one line of `pmm dump` of a zeroed block (hex.Dump).
var dumpLine = regexp.MustCompile(`(?m)^[0-9a-f]{8}  00 00 00 00 00 00 00 00  00 00 00 00 00 00 00 00  \|\.{16}\|\r$`)

// A client that stops reading never blocks actors or the UART: its own
// output waits, log messages for it are dropped and counted, and it
// carries on once it reads again.
func TestSSHStalledClient(t *testing.T) {
	s, port := sshBoot(t)
	idle := s.arun("-g 1 idle") // heartbeats: a blocked actor would be restarted
	s.run("pmm alloc big 4096")

	tcp, err := net.DialTimeout("tcp", fmt.Sprintf("127.0.0.1:%d", port), timeout)
	require.NoError(t, err)
	g := &gatedConn{Conn: tcp, open: make(chan struct{})}
	close(g.open)
	cc, chans, reqs, err := ssh.NewClientConn(g, tcp.RemoteAddr().String(), clientConfig(testSigner(t), ssh.InsecureIgnoreHostKey()))
	require.NoError(t, err)
	c := ssh.NewClient(cc, chans, reqs)
	defer c.Close()
	sh := openShell(t, c)

	// Far more output than the SSH window (2 MiB) and every buffer on the
	// way hold: the session's writer blocks on the board.
	g.stall()
	const dumps = 200 // × 20 KB of hex
	for range dumps {
		sh.send("pmm dump big 4096")
	}
	// Meanwhile the UART console answers and actors run: a maze prints
	// a message per step, which the stalled session cannot take.
	s.run("arun -g 2 maze -rate 1000 -size 40x20")
	s.expect(`maze: solved in \d+ steps, 0 restarts`)
	assert.Regexp(t, `^up \d`, s.run("uptime"))

	g.resume()
	m, err := sh.expectWithin(`console: (\d+) messages dropped \(this session was too slow\)`, time.Minute)
	if err != nil {
		out := sh.transcript()
		t.Logf("stalled session: %d bytes, %d dump lines, ends with %q", len(out), len(dumpLine.FindAllString(out, -1)), out[max(0, len(out)-3000):])
	}
	require.NoError(t, err)
	t.Logf("stalled session: %s messages dropped", m[1])
	// every command's own output arrives whole, none lost
	assert.Regexp(t, `^up \d`, sh.run("uptime"))
	assert.Len(t, dumpLine.FindAllString(sh.transcript(), -1), dumps*256)
	assert.Regexp(t, `idle\s+1\s+direct\s+running\s+0\s`, s.run("aps"))
	assert.Equal(t, []int{idle}, s.aidsOf(1))
}

// A flood of TCP connections carrying garbage on the SSH port is a network
// fault, not a board fault: the console keeps answering, an established
// session goes on, and no actor restarts.
func TestSSHFlood(t *testing.T) {
	s, port := sshBoot(t)
	idle := s.arun("-g 1 idle")
	sh := openShell(t, dial(t, port))
	addr := fmt.Sprintf("127.0.0.1:%d", port)

	// Bounded: 400 connections, 16 at a time, each at most 2 s; only to
	// the loopback port QEMU forwards.
	const conns, workers = 400, 16
	jobs := make(chan int)
	var wg sync.WaitGroup
	var refused, accepted sync.Map
	for range workers {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for i := range jobs {
				c, err := net.DialTimeout("tcp", addr, 2*time.Second)
				if err != nil {
					refused.Store(i, err)
					continue
				}
				accepted.Store(i, true)
				c.SetDeadline(time.Now().Add(2 * time.Second))
				r := rand.New(rand.NewPCG(uint64(i), 42))
				junk := make([]byte, r.IntN(4096))
				for j := range junk {
					junk[j] = byte(r.Uint32())
				}
				switch i % 4 {
				case 0: // garbage first
				case 1: // a valid banner, then garbage packets
					junk = append([]byte("SSH-2.0-flood\r\n"), junk...)
				case 2: // connect and leave at once
					junk = nil
				case 3: // a bogus huge packet length
					junk = append([]byte("SSH-2.0-flood\r\n\xff\xff\xff\xf0"), junk...)
				}
				c.Write(junk)
				io.Copy(io.Discard, io.LimitReader(c, 64<<10))
				c.Close()
			}
		}()
	}
	for i := range conns {
		jobs <- i
	}
	close(jobs)
	wg.Wait()
	n := 0
	accepted.Range(func(any, any) bool { n++; return true })
	t.Logf("flood: %d of %d connections accepted by QEMU", n, conns)
	// QEMU's forwarder may let a dial time out on a loaded host: what
	// matters is that the flood reached the board, and what follows
	require.Greater(t, n, conns/2, "the flood reached the board")

	assert.Regexp(t, `^up \d`, sh.run("uptime"), "the established session goes on")
	assert.Regexp(t, `^up \d`, s.run("uptime"), "the UART answers")
	c, err := dialWith(port, clientConfig(testSigner(t), ssh.InsecureIgnoreHostKey()))
	require.NoError(t, err, "a new client still gets in")
	assert.Contains(t, execOn(t, c, "bank"), "boot: 1")
	c.Close()
	assert.Regexp(t, `idle\s+1\s+direct\s+running\s+0\s`, s.run("aps"))
	assert.Equal(t, []int{idle}, s.aidsOf(1))
	assert.Contains(t, s.Transcript(), "ssh: 10.0.0.2:")
}
