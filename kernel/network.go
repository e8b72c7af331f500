package kernel

import (
	"crypto/rand"
	"errors"
	"fmt"
	"io"
	"net"
	"net/netip"
	"time"

	"golang.org/x/crypto/ssh"

	"github.com/hotrestart/tamago-hr/board/tunables"
	"github.com/hotrestart/tamago-hr/kernel/console"
	"github.com/hotrestart/tamago-hr/kernel/netconsole"
	"github.com/hotrestart/tamago-hr/pmm"
)

// Network console addresses, the same on every board so that one host
// set-up serves them all; fixed, so that no DHCP is needed:
//
//	device (the board) 10.0.0.1/24, MAC 02:68:72:00:00:01
//	host   (the PC)    10.0.0.2/24, MAC 02:68:72:00:00:02
//
// The MACs are locally administered unicast (first octet 0x02) with "hr"
// (0x68 0x72) as a tag; fixed, so the host sees the same interface after
// every restart.
const (
	deviceIP  = "10.0.0.1"
	hostIP    = "10.0.0.2"
	prefixLen = 24
	deviceMAC = "02:68:72:00:00:01"
	hostMAC   = "02:68:72:00:00:02"
	sshPort   = 22
)

// startNetwork brings up the SSH console on the board's network link
// (Board.Listen: USB on the Mk II, ENET on the EVK) when an authorized key
// is built in; otherwise, or on any error, it says why in one line and the
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
	// constants that parse
	mac, _ := net.ParseMAC(deviceMAC)
	peer, _ := net.ParseMAC(hostMAC)
	addr := netip.PrefixFrom(netip.MustParseAddr(deviceIP), prefixLen)
	l, via, err := k.board.Listen(addr, mac, peer, sshPort)
	if err != nil {
		k.logf("ssh: %v; network console off", err)
		return
	}
	if err := k.shell.Add(console.Cmd{Name: "net", Help: "network console: frames in and out, frames dropped",
		Fn: func(out io.Writer, _ []string) error { return k.board.NetStats(out) }}); err != nil {
		k.logf("ssh: %v", err) // the image has a `net` command of its own
	}
	k.serveConsole(l, keys, host, via)
}

// The host key lives in the bank (netconsole.HostKeyBlock) so that a site
// restart keeps the board's SSH identity, and clients' known_hosts entries
// stay valid.
const hostKeyKey = "__SYS.kern"

// networkKeys returns the built-in authorized keys, or nil after saying in
// one line why the network console stays off.
func (k *system) networkKeys() []ssh.PublicKey {
	keys, err := netconsole.ParseAuthorizedKeys(authorizedKeys)
	switch {
	case err != nil:
		k.logf("ssh: built-in %v; network console off", err)
		return nil
	case len(keys) == 0:
		k.logf("ssh: no authorized key built in; network console off")
		return nil
	}
	return keys
}

// serveConsole serves the SSH console on l; via names the link in the log.
func (k *system) serveConsole(l net.Listener, keys []ssh.PublicKey, host ssh.Signer, via string) {
	cfg := netconsole.Config{
		Shell:          k.shell,
		HostKey:        host,
		AuthorizedKeys: keys,
		MaxSessions:    netconsole.DefaultMaxSessions,
		MaxStartups:    netconsole.DefaultMaxStartups,
		LoginGrace:     tunables.LoginGrace * time.Millisecond,
		// connection events are the operator's, on the UART (and
		// dmesg): other clients' sessions do not see them
		Log:    func(format string, args ...any) { fmt.Fprintf(k.out.Serial(), format+"\n", args...) },
		Attach: k.out.Attach,
		Hangup: netconsole.NewHangup(),
	}
	// every session hears what happens, gets its exit status and is
	// closed before the board goes down: clients return on their own
	k.onConsolesClose(func(what string, said bool) {
		bye := netconsole.Goodbye{Line: "hr: " + what + "; this session ends"}
		if said { // a shell's log showed it: not twice on its screen
			bye.Shell = "hr: this session ends"
		}
		cfg.Hangup.Close(bye)
	})
	go func() {
		err := netconsole.Serve(l, cfg)
		k.logf("ssh: network console stopped: %v", err)
	}()
	k.logf("ssh: console on %s:%d over %s (host %s/%d), %d authorized key(s), host key %s",
		deviceIP, sshPort, via, hostIP, prefixLen, len(keys), ssh.FingerprintSHA256(host.PublicKey()))
}

// sshHostKey keeps the host key in the bank. Without a bank the key is
// made fresh for this boot only, and the log says so; in the no-bank mode
// (no boot record) a bank that opened is only read for the key a previous
// boot kept: no block is made where the operator is making room.
func (k *system) sshHostKey() (ssh.Signer, error) {
	var block []byte
	var err error
	switch {
	case k.bank == nil:
		err = errors.New("no bank")
	case k.recs == nil: // the no-bank mode: the bank is only read
		block, _, err = k.bank.Lookup(netconsole.HostKeyBlock)
	default:
		block, err = k.bank.AllocateAs(pmm.System, netconsole.HostKeyBlock, netconsole.HostKeySize, hostKeyKey)
		if err != nil {
			return nil, err
		}
	}
	if err == nil && len(block) < netconsole.HostKeySize {
		err = fmt.Errorf("host key block of %d bytes, want %d", len(block), netconsole.HostKeySize)
	}
	if err != nil {
		k.logf("ssh: %v: host key is new and will not survive a restart", err)
		block = make([]byte, netconsole.HostKeySize)
	}
	key, note, err := netconsole.HostKey(block, rand.Reader)
	if note != "" {
		k.logf("ssh: %s: not trusted, a new host key is made", note)
	}
	return key, err
}
