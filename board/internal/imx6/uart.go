package imx6

import (
	"fmt"
	"io"
	"runtime"
	"sync"
	"time"

	"github.com/usbarmory/tamago/soc/nxp/uart"

	"github.com/hotrestart/tamago-hr/board/internal/reg"
	"github.com/hotrestart/tamago-hr/board/internal/rxbuf"
)

// UART receiver registers (IMX6ULLRM 55.15 UART Memory Map), read here
// rather than through tamago's uart.Rx, which drops every character whose
// URXD has an error bit, the valid 32nd character of a full FIFO included.
const (
	UARTx_URXD = 0x00 // 55.15.1 UART Receiver Register
	UARTx_USR2 = 0x98 // 55.15.9 UART Status Register 2
	USR2_RDR   = 0    // receive data ready
	USR2_ORE   = 1    // overrun error, write 1 to clear
)

// Receiver drains the console UART's 32-entry receive FIFO into a software
// buffer from a goroutine of its own, so that characters keep being taken
// while the console runs a command, and counts what the line lost.
//
// Why a poller: at 115200 baud the FIFO fills in 2.8 ms, and without flow
// control the 33rd character is lost (USR2.ORE). The poller looks at the
// FIFO at least once a millisecond whenever the scheduler runs it; a
// goroutine that computes for longer than 2.8 ms without yielding can still
// overrun the FIFO (TamaGo schedules cooperatively). Such a loss is counted,
// and the console refuses the line that lost characters with one message
// instead of running what is left of it (kernel/console).
type Receiver struct {
	UART *uart.UART
	buf  *rxbuf.Buffer
	once sync.Once
}

// NewReceiver returns the receiver of u; Start starts it.
func NewReceiver(u *uart.UART) *Receiver { return &Receiver{UART: u, buf: rxbuf.New()} }

// Start starts the poller, once: from then on nothing else reads the FIFO.
// Its first look is made at once: characters already in the FIFO were
// typed before the console was up, and the UART's reset at boot (tamago's
// uart.Init) may have cut the start of their line; that line is refused
// (a loss before them), never run without its head.
func (r *Receiver) Start() {
	r.once.Do(func() {
		if r.drain() > 0 {
			r.buf.LoseHead()
		}
		go r.poll()
	})
}

// pollIdle is the poller's period when nothing arrives: a third of the
// time the FIFO takes to fill at 115200 baud.
const pollIdle = time.Millisecond

// spinBeforeSleep bounds busy polling after a character: one usually
// follows another within a few scheduler rounds.
const spinBeforeSleep = 256

// drain moves what the FIFO holds into the buffer while it has room and
// returns how many words it read. USR2.ORE is handled only once the FIFO
// is empty: the characters still in it came before the lost ones.
func (r *Receiver) drain() int {
	urxd, usr2 := r.UART.Base+UARTx_URXD, r.UART.Base+UARTx_USR2
	n := 0
	for r.buf.Room() > 0 && reg.Read32(usr2)&(1<<USR2_RDR) != 0 {
		r.buf.Put(reg.Read32(urxd))
		n++
	}
	if st := reg.Read32(usr2); st&(1<<USR2_RDR) == 0 && st&(1<<USR2_ORE) != 0 {
		reg.Write32(usr2, 1<<USR2_ORE)
		r.buf.Overrun()
	}
	return n
}

func (r *Receiver) poll() {
	for spins := 0; ; spins++ {
		got := r.drain() > 0
		r.buf.Tick()
		switch {
		case got:
			spins = 0
			runtime.Gosched()
		case spins < spinBeforeSleep:
			runtime.Gosched()
		default:
			time.Sleep(pollIdle)
		}
	}
}

// Discard starts dropping what is typed until the line has been quiet for
// quiet (rxbuf.Buffer.StartDiscard).
func (r *Receiver) Discard(quiet time.Duration) {
	r.Start()
	r.buf.StartDiscard(quiet)
}

// Discarding reports on the discard (rxbuf.Buffer.Discarding); MidLine
// tells where the input stops.
func (r *Receiver) Discarding() (on bool, dropped int) {
	on, dropped, _ = r.buf.Discarding()
	return on, dropped
}

// MidLine reports, without a lock, whether the input received stops in
// the middle of a line (rxbuf.Buffer.MidLine).
func (r *Receiver) MidLine() bool { return r.buf.MidLine() }

// ContinueCut carries a line the previous boot cut (rxbuf.Buffer.ContinueCut).
func (r *Receiver) ContinueCut() { r.buf.ContinueCut() }

// WriteStats writes the receiver's counters on one line.
func (r *Receiver) WriteStats(w io.Writer) {
	s := r.buf.Stats()
	fmt.Fprintf(w, "uart: %d received, %d overruns, %d parity, %d framing, %d breaks, %d discarded at restarts\n",
		s.Received, s.Overruns, s.Parity, s.Framing, s.Breaks, s.Discarded)
}

// Serial is the console as an io.ReadWriter: reads from the receiver's
// buffer, blocking until a character arrives (what bufio and x/term
// expect), and writes to the UART with correct counts (v1.26.0's Write
// returns len-1). Lost tells the console where characters were lost.
type Serial struct{ rx *Receiver }

func (s Serial) Read(p []byte) (int, error) { return s.rx.buf.Read(p) }

// Lost counts the losses the reader has passed (rxbuf.Buffer.Lost).
func (s Serial) Lost() uint64 { return s.rx.buf.Lost() }

func (s Serial) Write(p []byte) (int, error) {
	for _, c := range p {
		s.rx.UART.Tx(c)
	}
	return len(p), nil
}
