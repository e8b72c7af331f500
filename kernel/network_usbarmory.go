//go:build usbarmory

package kernel

import (
	"github.com/usbarmory/imx-usbnet"
	"github.com/usbarmory/tamago/soc/nxp/imx6ul"
)

// USB network console: the Mk II's USB port (USB1 OTG controller, device
// mode) is a CDC-ECM Ethernet adapter to the host, and the console is served
// over SSH on it (addresses in network.go).

// startNetwork brings up the USB network console when an authorized key is
// built in; otherwise, or on any error, it says why in one line and the
// UART stays the only console.
func (k *system) startNetwork() {
	keys := k.networkKeys()
	if keys == nil {
		return
	}
	if hw.Emulated() {
		k.logf("ssh: no USB device mode under emulation; network console off")
		return
	}
	host, err := k.sshHostKey()
	if err != nil {
		k.logf("ssh: %v; network console off", err)
		return
	}

	iface := &usbnet.Interface{}
	if err := iface.Init(deviceIP, deviceMAC, hostMAC); err != nil {
		k.logf("ssh: usbnet: %v; network console off", err)
		return
	}
	if err := iface.EnableICMP(); err != nil {
		k.logf("ssh: usbnet: %v (ping will not answer)", err) // not fatal
	}
	l, err := iface.ListenerTCP4(sshPort)
	if err != nil {
		k.logf("ssh: listen on port %d: %v; network console off", sshPort, err)
		return
	}

	// USB1 in device mode (IMX6ULLRM 56.6.33 USBMODE.CM = device,
	// 56.6.23 USBCMD.RS = run) as a CDC-ECM gadget.
	imx6ul.USB1.Init()
	imx6ul.USB1.DeviceMode()
	imx6ul.USB1.Reset()
	// Start polls the controller forever; it yields between polls
	// (runtime.Gosched), so it shares the single CPU with everything else.
	go imx6ul.USB1.Start(iface.NIC.Device)

	k.serveConsole(l, keys, host, "USB")
}
