package ethlink

import (
	"io"
	"net"
	"net/netip"
	"sync"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

var (
	boardMAC = net.HardwareAddr{0x02, 0x68, 0x72, 0, 0, 1}
	hostMAC  = net.HardwareAddr{0x02, 0x68, 0x72, 0, 0, 2}
)

// wire carries frames one way through a goroutine, as a cable does: a
// sender never runs the receiver's stack on its own call stack.
func wire(t *testing.T) (tx func([]byte), attach func(*Interface)) {
	frames := make(chan []byte, 1024)
	dst := make(chan *Interface, 1)
	done := make(chan struct{})
	t.Cleanup(func() { close(done) })
	go func() {
		to := <-dst
		for {
			select {
			case f := <-frames:
				to.Rx(f)
			case <-done:
				return
			}
		}
	}()
	return func(f []byte) {
			select {
			case frames <- append([]byte(nil), f...):
			default: // a full cable drops, like a busy MAC
			}
		}, func(i *Interface) {
			dst <- i
		}
}

// pair returns the board (10.0.0.1) and a host (10.0.0.2) wired back to back.
func pair(t *testing.T) (board, host *Interface) {
	toHost, attachHost := wire(t)
	toBoard, attachBoard := wire(t)
	board, err := New(Config{Addr: netip.MustParsePrefix("10.0.0.1/24"), MAC: boardMAC, Tx: toHost})
	require.NoError(t, err)
	host, err = New(Config{Addr: netip.MustParsePrefix("10.0.0.2/24"), MAC: hostMAC, Tx: toBoard})
	require.NoError(t, err)
	attachHost(host)
	attachBoard(board)
	return board, host
}

// echo accepts one connection on l and echoes it back.
func echo(t *testing.T, l net.Listener) {
	go func() {
		c, err := l.Accept()
		if err != nil {
			return
		}
		defer c.Close()
		io.Copy(c, c)
	}()
}

func roundTrip(t *testing.T, host *Interface, payload []byte) {
	t.Helper()
	c, err := host.DialTCP(netip.MustParseAddrPort("10.0.0.1:22"))
	require.NoError(t, err)
	defer c.Close()
	c.SetDeadline(time.Now().Add(10 * time.Second))
	go c.Write(payload)
	got := make([]byte, len(payload))
	_, err = io.ReadFull(c, got)
	require.NoError(t, err)
	require.Equal(t, payload, got)
}

// A TCP connection across the pair resolves the peer with ARP and carries
// data larger than one frame both ways intact.
func TestTCPAcrossFrames(t *testing.T) {
	board, host := pair(t)
	l, err := board.ListenTCP(22)
	require.NoError(t, err)
	defer l.Close()
	echo(t, l)
	payload := make([]byte, 64<<10) // 45 frames of 1460 bytes
	for i := range payload {
		payload[i] = byte(i * 7)
	}
	roundTrip(t, host, payload)
}

// Frames the board sends carry its MAC as source and the host's, learnt by
// ARP, as destination.
func TestFrameHeader(t *testing.T) {
	var (
		mu     sync.Mutex
		frames [][]byte
	)
	toHost, attachHost := wire(t)
	board, err := New(Config{Addr: netip.MustParsePrefix("10.0.0.1/24"), MAC: boardMAC, Tx: func(f []byte) {
		mu.Lock()
		frames = append(frames, append([]byte(nil), f...))
		mu.Unlock()
		toHost(f)
	}})
	require.NoError(t, err)
	toBoard, attachBoard := wire(t)
	host, err := New(Config{Addr: netip.MustParsePrefix("10.0.0.2/24"), MAC: hostMAC, Tx: toBoard})
	require.NoError(t, err)
	attachHost(host)
	attachBoard(board)
	l, err := board.ListenTCP(22)
	require.NoError(t, err)
	defer l.Close()
	echo(t, l)
	roundTrip(t, host, []byte("hello"))

	mu.Lock()
	defer mu.Unlock()
	require.NotEmpty(t, frames)
	for _, f := range frames {
		assert.Equal(t, []byte(boardMAC), f[6:12], "source MAC")
		assert.Equal(t, []byte(hostMAC), f[0:6], "destination MAC") // ARP replies and TCP both unicast
	}
}

// Runts, frames for another station and garbage payloads are dropped
// without harm: the next connection still works.
func TestGarbageFrames(t *testing.T) {
	board, host := pair(t)
	l, err := board.ListenTCP(22)
	require.NoError(t, err)
	defer l.Close()

	board.Rx(nil)
	board.Rx(make([]byte, 13))
	foreign := append(net.HardwareAddr{0x02, 0, 0, 0, 0, 9}, hostMAC...)
	board.Rx(append(foreign, 0x08, 0x00, 0x45))
	assert.Equal(t, uint64(2), board.Stats.Runts.Load())
	assert.Equal(t, uint64(1), board.Stats.Foreign.Load())

	toBoard := append(append(net.HardwareAddr(nil), boardMAC...), hostMAC...)
	for i := range 256 {
		for _, typ := range [][]byte{{0x08, 0x00}, {0x08, 0x06}, {0x86, 0xdd}, {byte(i), 0x42}} {
			junk := make([]byte, i*5)
			for j := range junk {
				junk[j] = byte(i*31 + j*17)
			}
			if len(junk) > 0 {
				junk[0] = 0x45 // IPv4, 20-byte header: reaches the IP parser
			}
			board.Rx(append(append(append([]byte(nil), toBoard...), typ...), junk...))
		}
	}
	echo(t, l)
	roundTrip(t, host, []byte("still answering"))
}

func TestNewRejects(t *testing.T) {
	tx := func([]byte) {}
	for name, cfg := range map[string]Config{
		"ipv6":      {Addr: netip.MustParsePrefix("fe80::1/64"), MAC: boardMAC, Tx: tx},
		"no addr":   {MAC: boardMAC, Tx: tx},
		"short MAC": {Addr: netip.MustParsePrefix("10.0.0.1/24"), MAC: boardMAC[:5], Tx: tx},
		"multicast": {Addr: netip.MustParsePrefix("10.0.0.1/24"), MAC: net.HardwareAddr{1, 0, 0, 0, 0, 1}, Tx: tx},
		"no Tx":     {Addr: netip.MustParsePrefix("10.0.0.1/24"), MAC: boardMAC},
	} {
		_, err := New(cfg)
		assert.Error(t, err, name)
	}
}
