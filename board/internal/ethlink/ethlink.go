// Package ethlink joins an Ethernet MAC driver to gVisor's TCP/IP stack
// (the stack imx-usbnet already brings): frames the driver receives go in
// through Rx, frames the stack sends come out through the Tx function the
// driver provides. The stack resolves peers with ARP, so the board works
// with any host on its subnet, not a fixed peer MAC.
//
// The package is pure Go (no tamago imports) so that two interfaces wired
// back to back are tested on the host; the firmware hands Rx to tamago's
// soc/nxp/enet driver and its ENET.Tx to Config.Tx.
package ethlink

import (
	"encoding/binary"
	"errors"
	"fmt"
	"net"
	"net/netip"
	"sync/atomic"

	"gvisor.dev/gvisor/pkg/buffer"
	"gvisor.dev/gvisor/pkg/tcpip"
	"gvisor.dev/gvisor/pkg/tcpip/adapters/gonet"
	"gvisor.dev/gvisor/pkg/tcpip/header"
	"gvisor.dev/gvisor/pkg/tcpip/link/channel"
	"gvisor.dev/gvisor/pkg/tcpip/network/arp"
	"gvisor.dev/gvisor/pkg/tcpip/network/ipv4"
	"gvisor.dev/gvisor/pkg/tcpip/stack"
	"gvisor.dev/gvisor/pkg/tcpip/transport/icmp"
	"gvisor.dev/gvisor/pkg/tcpip/transport/tcp"
)

// MTU is the IP MTU (bytes): a 1514-byte frame plus the 4-byte FCS the MAC
// appends is the 1518 bytes tamago's enet.MTU allows.
const MTU = 1500

// queueLen bounds the stack's outbound queue (frames): when the MAC cannot
// keep up, the stack drops and TCP retransmits, rather than memory growing.
const queueLen = 256

// tcpBuffer is each TCP connection's send and receive buffer (bytes), down
// from gVisor's 1 MiB defaults: a console needs no bulk throughput, and the
// board's memory for connections stays bounded (the SSH console admits 6
// at most: 6 × 2 × 64 KiB).
const tcpBuffer = 64 << 10

const nicID tcpip.NICID = 1

// Config is what New needs.
type Config struct {
	// Addr is the interface's IPv4 address with its prefix (10.0.0.1/24).
	Addr netip.Prefix
	// MAC is the interface's unicast hardware address.
	MAC net.HardwareAddr
	// Tx sends one Ethernet frame (header and payload, no FCS). It is
	// called from the stack's goroutines, one frame at a time.
	Tx func(frame []byte)
}

// Stats counts frames through the interface.
type Stats struct {
	// RxFrames and TxFrames: frames handed to the stack and sent.
	RxFrames, TxFrames atomic.Uint64
	// Runts: frames shorter than an Ethernet header (14 bytes).
	Runts atomic.Uint64
	// Foreign: frames neither to this MAC nor broadcast/multicast.
	Foreign atomic.Uint64
}

// Interface is one Ethernet interface on its own stack.
type Interface struct {
	Stats Stats

	stack *stack.Stack
	link  *channel.Endpoint
	mac   net.HardwareAddr
	addr  tcpip.Address
	tx    func([]byte)
}

// New makes the stack (IPv4, ARP, TCP, ICMP echo) and the interface. It
// fails on an address that is not IPv4, a MAC that is not 6 bytes of
// unicast, or no Tx.
func New(cfg Config) (*Interface, error) {
	switch {
	case !cfg.Addr.IsValid() || !cfg.Addr.Addr().Is4():
		return nil, fmt.Errorf("ethlink: address %v is not IPv4/prefix", cfg.Addr)
	case len(cfg.MAC) != 6 || cfg.MAC[0]&1 != 0:
		return nil, fmt.Errorf("ethlink: MAC %v is not a unicast Ethernet address", cfg.MAC)
	case cfg.Tx == nil:
		return nil, errors.New("ethlink: no Tx")
	}
	i := &Interface{
		stack: stack.New(stack.Options{
			NetworkProtocols:   []stack.NetworkProtocolFactory{ipv4.NewProtocol, arp.NewProtocol},
			TransportProtocols: []stack.TransportProtocolFactory{tcp.NewProtocol, icmp.NewProtocol4},
		}),
		link: channel.New(queueLen, MTU, tcpip.LinkAddress(cfg.MAC)),
		mac:  append(net.HardwareAddr(nil), cfg.MAC...),
		addr: tcpip.AddrFrom4(cfg.Addr.Addr().As4()),
		tx:   cfg.Tx,
	}
	for _, opt := range []tcpip.SettableTransportProtocolOption{
		&tcpip.TCPSendBufferSizeRangeOption{Min: tcp.MinBufferSize, Default: tcpBuffer, Max: tcpBuffer},
		&tcpip.TCPReceiveBufferSizeRangeOption{Min: tcp.MinBufferSize, Default: tcpBuffer, Max: tcpBuffer},
	} {
		if err := i.stack.SetTransportProtocolOption(tcp.ProtocolNumber, opt); err != nil {
			return nil, fmt.Errorf("ethlink: TCP buffers: %v", err)
		}
	}
	// The channel endpoint adds no link header: asking for resolution
	// makes the stack run ARP and hand each packet its peer's MAC.
	i.link.LinkEPCapabilities |= stack.CapabilityResolutionRequired
	if err := i.stack.CreateNIC(nicID, i.link); err != nil {
		return nil, fmt.Errorf("ethlink: NIC: %v", err)
	}
	pa := tcpip.ProtocolAddress{
		Protocol:          ipv4.ProtocolNumber,
		AddressWithPrefix: tcpip.AddressWithPrefix{Address: i.addr, PrefixLen: cfg.Addr.Bits()},
	}
	if err := i.stack.AddProtocolAddress(nicID, pa, stack.AddressProperties{}); err != nil {
		return nil, fmt.Errorf("ethlink: address: %v", err)
	}
	i.stack.SetRouteTable([]tcpip.Route{{Destination: pa.AddressWithPrefix.Subnet(), NIC: nicID}})
	i.link.AddNotify(i)
	return i, nil
}

// Rx hands one received frame (Ethernet header and payload; trailing
// padding is harmless, IP trims to its own length) to the stack. Frames
// that cannot be Ethernet, or are for another station, are counted and
// dropped: a network peer never makes it fail.
func (i *Interface) Rx(frame []byte) {
	if len(frame) < header.EthernetMinimumSize {
		i.Stats.Runts.Add(1)
		return
	}
	dst := frame[:6]
	if dst[0]&1 == 0 && !bytesEqual(dst, i.mac) {
		i.Stats.Foreign.Add(1)
		return
	}
	i.Stats.RxFrames.Add(1)
	proto := tcpip.NetworkProtocolNumber(binary.BigEndian.Uint16(frame[12:14]))
	pkt := stack.NewPacketBuffer(stack.PacketBufferOptions{
		ReserveHeaderBytes: header.EthernetMinimumSize,
		Payload:            buffer.MakeWithData(frame[header.EthernetMinimumSize:]),
	})
	copy(pkt.LinkHeader().Push(header.EthernetMinimumSize), frame[:header.EthernetMinimumSize])
	i.link.InjectInbound(proto, pkt)
	pkt.DecRef()
}

// WriteNotify is the channel endpoint's signal that the stack queued a
// packet: it is framed and sent at once.
func (i *Interface) WriteNotify() {
	for {
		pkt := i.link.Read()
		if pkt == nil {
			return
		}
		i.tx(i.frame(pkt))
		i.Stats.TxFrames.Add(1)
		pkt.DecRef()
	}
}

func (i *Interface) frame(pkt *stack.PacketBuffer) []byte {
	f := make([]byte, header.EthernetMinimumSize, header.EthernetMinimumSize+pkt.Size())
	header.Ethernet(f).Encode(&header.EthernetFields{
		SrcAddr: tcpip.LinkAddress(i.mac),
		DstAddr: pkt.EgressRoute.RemoteLinkAddress,
		Type:    pkt.NetworkProtocolNumber,
	})
	for _, v := range pkt.AsSlices() {
		f = append(f, v...)
	}
	return f
}

// ListenTCP listens on the interface's address and port.
func (i *Interface) ListenTCP(port uint16) (net.Listener, error) {
	return gonet.ListenTCP(i.stack, tcpip.FullAddress{NIC: nicID, Addr: i.addr, Port: port}, ipv4.ProtocolNumber)
}

// DialTCP connects to addr:port from the interface (tests use it as the
// host side of a back-to-back pair).
func (i *Interface) DialTCP(addr netip.AddrPort) (net.Conn, error) {
	return gonet.DialTCP(i.stack, tcpip.FullAddress{NIC: nicID, Addr: tcpip.AddrFrom4(addr.Addr().As4()), Port: addr.Port()}, ipv4.ProtocolNumber)
}

func bytesEqual(a, b []byte) bool { return string(a) == string(b) }
