package mk2

import (
	"errors"
	"io"
	"net"
	"net/netip"

	"github.com/usbarmory/imx-usbnet"
	"github.com/usbarmory/tamago/soc/nxp/imx6ul"
)

// linkUp: Listen ran; USB1 is then a CDC-ECM gadget.
var linkUp bool

// Listen brings up the USB network link: USB1 (OTG, device mode) is a
// CDC-ECM Ethernet adapter to the host, the board at addr with MAC mac and
// the host at MAC peer. It returns a TCP listener on port; via is "USB". It
// may be called once; QEMU emulates no USB device mode.
func (b Board) Listen(addr netip.Prefix, mac, peer net.HardwareAddr, port uint16) (l net.Listener, via string, err error) {
	switch {
	case b.Emulated():
		return nil, "", errors.New("no USB device mode under emulation")
	case linkUp:
		return nil, "", errors.New("network link already up")
	}
	iface := &usbnet.Interface{}
	// imx-usbnet takes a /24 on the device address
	if err := iface.Init(addr.Addr().String(), mac.String(), peer.String()); err != nil {
		return nil, "", err
	}
	_ = iface.EnableICMP() // ping only; the console works without it
	if l, err = iface.ListenerTCP4(port); err != nil {
		return nil, "", err
	}
	// USB1 in device mode (IMX6ULLRM 56.6.33 USBMODE.CM = device,
	// 56.6.23 USBCMD.RS = run) as a CDC-ECM gadget.
	imx6ul.USB1.Init()
	imx6ul.USB1.DeviceMode()
	imx6ul.USB1.Reset()
	// Start polls the controller forever; it yields between polls
	// (runtime.Gosched), so it shares the single CPU with everything else.
	go imx6ul.USB1.Start(iface.NIC.Device)
	linkUp = true
	return l, "USB", nil
}

// NetStats: imx-usbnet keeps no frame counters.
func (Board) NetStats(w io.Writer) error {
	if !linkUp {
		return errors.New("network link down")
	}
	_, err := io.WriteString(w, "USB: CDC-ECM link up (imx-usbnet keeps no frame counters)\n")
	return err
}
