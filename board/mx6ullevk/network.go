package mx6ullevk

import (
	"errors"
	"fmt"
	"io"
	"net"
	"net/netip"

	"github.com/usbarmory/tamago/arm"
	"github.com/usbarmory/tamago/soc/nxp/enet"
	"github.com/usbarmory/tamago/soc/nxp/imx6ul"

	"github.com/hotrestart/tamago-hr/board/internal/ethlink"
)

// The network link is the ENET MAC (IMX6ULLRM chapter 22) on gVisor's stack
// (board/internal/ethlink). QEMU's mcimx6ul-evk connects its first -net nic
// to ENET1; on the board, tamago's examples use ENET2 (the second RJ45).
var link struct {
	eth   *enet.ENET
	iface *ethlink.Interface
}

func (b Board) enetPort() *enet.ENET {
	if b.Emulated() {
		return imx6ul.ENET1
	}
	return imx6ul.ENET2
}

// Listen brings up the ENET link at addr with MAC mac (peer is not needed:
// the stack resolves hosts with ARP) and returns a TCP listener on port;
// via names the MAC ("ENET1"). It may be called once.
func (b Board) Listen(addr netip.Prefix, mac, _ net.HardwareAddr, port uint16) (l net.Listener, via string, err error) {
	if link.eth != nil {
		return nil, "", errors.New("network link already up")
	}
	eth := b.enetPort()
	iface, err := ethlink.New(ethlink.Config{Addr: addr, MAC: mac, Tx: eth.Tx})
	if err != nil {
		return nil, "", err
	}
	if l, err = iface.ListenTCP(port); err != nil {
		return nil, "", fmt.Errorf("listen on port %d: %w", port, err)
	}
	eth.MAC = mac
	eth.RxHandler = iface.Rx
	// frames with MAC-level errors are dropped by the MAC itself
	// (RACC.LINEDIS, IMX6ULLRM 22.5), never handed to the stack
	eth.DiscardErrors = true
	eth.Init()
	// Receive is interrupt driven (EIMR.RXF, IMX6ULLRM 22.5.2): no
	// goroutine spins on the ring, so actors and the watchdog's service
	// get the CPU between frames.
	eth.EnableInterrupt(enet.IRQ_RXF)
	eth.Start(false)
	go serveENETInterrupts(eth)
	link.eth, link.iface = eth, iface
	return l, fmt.Sprintf("ENET%d", eth.Index), nil
}

// NetStats writes the link's frame counters (the `net` console command).
func (Board) NetStats(w io.Writer) error {
	if link.eth == nil {
		return errors.New("network link down")
	}
	st, eth := &link.iface.Stats, link.eth
	_, err := fmt.Fprintf(w, "ENET%d: rx %d tx %d frames; dropped: %d runts, %d not for us; MAC errors: %d CRC, %d overrun, %d too long\n",
		eth.Index, st.RxFrames.Load(), st.TxFrames.Load(), st.Runts.Load(), st.Foreign.Load(),
		eth.Stats.CRCOrFrameError, eth.Stats.Overrun, eth.Stats.FrameTooLarge)
	return err
}

// serveENETInterrupts routes the ENET interrupt through the GIC to a
// goroutine (tamago's arm.ServiceInterrupts) that drains the receive ring.
// The event is cleared before the ring is read, so a frame landing while
// it drains raises the interrupt again rather than waiting for the next.
func serveENETInterrupts(eth *enet.ENET) {
	imx6ul.GIC.Init(true, false)
	imx6ul.GIC.EnableInterrupt(eth.IRQ, true)
	arm.ServiceInterrupts(func() {
		if imx6ul.GIC.GetInterrupt(true) != eth.IRQ {
			return
		}
		eth.ClearInterrupt(enet.IRQ_RXF)
		for buf := eth.Rx(); buf != nil; buf = eth.Rx() {
			eth.RxHandler(buf)
		}
	})
}
