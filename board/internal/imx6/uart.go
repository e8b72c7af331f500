package imx6

import (
	"runtime"
	"time"

	"github.com/usbarmory/tamago/soc/nxp/uart"
)

// Serial is an io.ReadWriter over a tamago UART that returns correct counts
// (v1.26.0's Write returns len-1) and blocks in Read until a byte arrives,
// which is what bufio and x/term expect.
type Serial struct {
	UART *uart.UART
}

// spinBeforeSleep bounds busy polling: a byte usually follows another within
// a few scheduler rounds, and sleeping after that keeps an idle console cheap.
const spinBeforeSleep = 256

func (s Serial) Read(p []byte) (int, error) {
	if len(p) == 0 {
		return 0, nil
	}
	for spins := 0; ; spins++ {
		n := 0
		for n < len(p) {
			c, ok := s.UART.Rx()
			if !ok {
				break
			}
			p[n] = c
			n++
		}
		if n > 0 {
			return n, nil
		}
		if spins < spinBeforeSleep {
			runtime.Gosched()
		} else {
			time.Sleep(time.Millisecond)
		}
	}
}

func (s Serial) Write(p []byte) (int, error) {
	for _, c := range p {
		s.UART.Tx(c)
	}
	return len(p), nil
}

// Drain discards what arrives on the UART until it has been quiet for
// quiet (at most for limit) and returns how many bytes that was; with quiet
// 0 it takes only what is there now. Bytes come one at a time (QEMU
// delivers the next only after the guest read the last), hence the quiet
// time rather than one pass over the FIFO.
func (s Serial) Drain(quiet, limit time.Duration) int {
	start := time.Now()
	last, n := start, 0
	for {
		if _, ok := s.UART.Rx(); ok {
			n++
			last = time.Now()
			continue
		}
		now := time.Now()
		if now.Sub(last) >= quiet || now.Sub(start) >= limit {
			return n
		}
		runtime.Gosched()
	}
}
