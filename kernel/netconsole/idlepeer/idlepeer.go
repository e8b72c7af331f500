// Package idlepeer plays the peer of the pre-login lock-out attack on an
// SSH server (issue 27): it holds TCP connections open without sending a
// byte and reopens each one the server drops. The netconsole host tests and
// the QEMU tests both use it.
package idlepeer

import (
	"fmt"
	"net"
	"sync"
	"time"
)

// Peer holds connections until Stop.
type Peer struct {
	mu      sync.Mutex
	stopped bool
	open    map[net.Conn]bool
	wg      sync.WaitGroup
}

// Hold opens n connections to addr and keeps them, and returns once all n
// are open, or fails after wait.
func Hold(addr string, n int, wait time.Duration) (*Peer, error) {
	p := &Peer{open: map[net.Conn]bool{}}
	for range n {
		p.wg.Add(1)
		go p.hold(addr)
	}
	for deadline := time.Now().Add(wait); p.Open() < n; time.Sleep(time.Millisecond) {
		if time.Now().After(deadline) {
			p.Stop()
			return nil, fmt.Errorf("idlepeer: %d of %d connections to %s open after %v", p.Open(), n, addr, wait)
		}
	}
	return p, nil
}

// hold keeps one connection open, reopening it when the server closes it.
func (p *Peer) hold(addr string) {
	defer p.wg.Done()
	for {
		c, err := net.Dial("tcp", addr)
		p.mu.Lock()
		if p.stopped {
			p.mu.Unlock()
			if err == nil {
				c.Close()
			}
			return
		}
		if err != nil {
			p.mu.Unlock()
			time.Sleep(10 * time.Millisecond)
			continue
		}
		p.open[c] = true
		p.mu.Unlock()
		var b [256]byte
		for err == nil {
			_, err = c.Read(b[:]) // the version line, then EOF when dropped
		}
		p.mu.Lock()
		delete(p.open, c)
		p.mu.Unlock()
		c.Close()
	}
}

// Open is how many connections are open now.
func (p *Peer) Open() int {
	p.mu.Lock()
	defer p.mu.Unlock()
	return len(p.open)
}

// Stop closes every connection and returns once none is reopened; it may
// be called more than once.
func (p *Peer) Stop() {
	p.mu.Lock()
	p.stopped = true
	for c := range p.open {
		c.Close()
	}
	p.mu.Unlock()
	p.wg.Wait()
}
