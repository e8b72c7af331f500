//go:build mx6ullevk

package kernel

import (
	"fmt"
	"io"
	"net"
	"net/netip"

	"github.com/usbarmory/tamago/arm"
	"github.com/usbarmory/tamago/soc/nxp/enet"
	"github.com/usbarmory/tamago/soc/nxp/imx6ul"

	"github.com/hotrestart/tamago-hr/kernel/console"
	"github.com/hotrestart/tamago-hr/kernel/ethlink"
)

// Ethernet network console: the EVK's ENET MAC (IMX6ULLRM chapter 22) on
// gVisor's stack (kernel/ethlink), same addresses as the Mk II's USB link
// (network.go). QEMU's mcimx6ul-evk connects its first -net nic to ENET1;
// on the board, tamago's examples use ENET2 (the second RJ45).
func enetPort() *enet.ENET {
	if hw.Emulated() {
		return imx6ul.ENET1
	}
	return imx6ul.ENET2
}

// startNetwork brings up the Ethernet console when an authorized key is
// built in; otherwise, or on any error, it says why in one line and the
// UART stays the only console.
func (k *system) startNetwork() {
	keys := k.networkKeys()
	if keys == nil {
		return
	}
	host, err := k.sshHostKey()
	if err != nil {
		k.logf("ssh: %v; network console off", err)
		return
	}
	eth := enetPort()
	mac, _ := net.ParseMAC(deviceMAC) // a constant that parses
	iface, err := ethlink.New(ethlink.Config{
		Addr: netip.PrefixFrom(netip.MustParseAddr(deviceIP), prefixLen),
		MAC:  mac,
		Tx:   eth.Tx,
	})
	if err != nil {
		k.logf("ssh: %v; network console off", err)
		return
	}
	l, err := iface.ListenTCP(sshPort)
	if err != nil {
		k.logf("ssh: listen on port %d: %v; network console off", sshPort, err)
		return
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

	k.shell.MustAdd(console.Cmd{Name: "net", Help: "network console: frames in and out, frames dropped", Fn: func(out io.Writer, _ []string) error {
		st := &iface.Stats
		fmt.Fprintf(out, "ENET%d: rx %d tx %d frames; dropped: %d runts, %d not for us; MAC errors: %d CRC, %d overrun, %d too long\n",
			eth.Index, st.RxFrames.Load(), st.TxFrames.Load(), st.Runts.Load(), st.Foreign.Load(),
			eth.Stats.CRCOrFrameError, eth.Stats.Overrun, eth.Stats.FrameTooLarge)
		return nil
	}})
	k.serveConsole(l, keys, host, "ENET"+string(rune('0'+eth.Index)))
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
