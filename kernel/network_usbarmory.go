//go:build usbarmory

package main

import (
	"crypto/rand"

	"github.com/usbarmory/imx-usbnet"
	"github.com/usbarmory/tamago/soc/nxp/imx6ul"
	"golang.org/x/crypto/ssh"

	"github.com/hotrestart/tamago-hr/kernel/netconsole"
	"github.com/hotrestart/tamago-hr/pmm"
)

// USB network console: the Mk II's USB port (USB1 OTG controller, device
// mode) is a CDC-ECM Ethernet adapter to the host, and the console is served
// over SSH on it. Addresses are fixed so that no DHCP is needed:
//
//	device (the board) 10.0.0.1/24, MAC 02:68:72:00:00:01
//	host   (the PC)    10.0.0.2/24, MAC 02:68:72:00:00:02
//
// The MACs are locally administered unicast (first octet 0x02) with "hr"
// (0x68 0x72) as a tag; fixed, so the host sees the same interface after
// every restart.
const (
	usbDeviceIP  = "10.0.0.1"
	usbHostIP    = "10.0.0.2"
	usbDeviceMAC = "02:68:72:00:00:01"
	usbHostMAC   = "02:68:72:00:00:02"
	sshPort      = 22
)

// The host key lives in the bank (netconsole.HostKeyBlock) so that a site
// restart keeps the board's SSH identity, and clients' known_hosts entries
// stay valid.
const hostKeyKey = "__SYS.kern"

// startNetwork brings up the USB network console when an authorized key is
// built in; otherwise, or on any error, it says why in one line and the
// UART stays the only console.
func (k *kernel) startNetwork() {
	keys, err := netconsole.ParseAuthorizedKeys(authorizedKeys)
	switch {
	case err != nil:
		k.logf("ssh: built-in %v; network console off", err)
		return
	case len(keys) == 0:
		k.logf("ssh: no authorized key built in; network console off")
		return
	case hw.Emulated():
		k.logf("ssh: no USB device mode under emulation; network console off")
		return
	}
	host, err := k.sshHostKey()
	if err != nil {
		k.logf("ssh: %v; network console off", err)
		return
	}

	iface := &usbnet.Interface{}
	if err := iface.Init(usbDeviceIP, usbDeviceMAC, usbHostMAC); err != nil {
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

	cfg := netconsole.Config{
		Shell:          k.shell,
		HostKey:        host,
		AuthorizedKeys: keys,
		MaxSessions:    netconsole.DefaultMaxSessions,
		Log:            k.logf,
		Attach:         k.out.Attach,
	}
	go func() {
		err := netconsole.Serve(l, cfg)
		k.logf("ssh: network console stopped: %v", err)
	}()
	k.logf("ssh: console on %s:%d over USB (host %s/24), %d authorized key(s), host key %s",
		usbDeviceIP, sshPort, usbHostIP, len(keys), ssh.FingerprintSHA256(host.PublicKey()))
}

// sshHostKey keeps the host key in the bank; without a bank the key is
// made fresh for this boot only, and the log says so.
func (k *kernel) sshHostKey() (ssh.Signer, error) {
	if k.bank == nil {
		k.logf("ssh: no bank: host key is new and will not survive a restart")
		key, _, err := netconsole.HostKey(make([]byte, netconsole.HostKeySize), rand.Reader)
		return key, err
	}
	block, err := k.bank.AllocateAs(pmm.System, netconsole.HostKeyBlock, netconsole.HostKeySize, hostKeyKey)
	if err != nil {
		return nil, err
	}
	key, note, err := netconsole.HostKey(block, rand.Reader)
	if note != "" {
		k.logf("ssh: %s: not trusted, a new host key is made", note)
	}
	return key, err
}
