//go:build !tamago

package kernel

import (
	"bytes"
	"crypto/ed25519"
	"fmt"
	"io"
	"net"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	"golang.org/x/crypto/ssh"

	"github.com/hotrestart/tamago-hr/board/tunables"

	"github.com/hotrestart/tamago-hr/kernel/bootrec"
	"github.com/hotrestart/tamago-hr/kernel/console"
	"github.com/hotrestart/tamago-hr/kernel/netconsole"
)

// bootNoBank runs Main's boot on mem, expecting the bank
// to be unusable, and returns the boot log.
func bootNoBank(t *testing.T, mem []byte) *logBuffer {
	t.Helper()
	log := bootHost(t, mem, Config{Programs: register, Commands: []console.Cmd{{Name: "hello", Help: "say hello",
		Fn: func(out io.Writer, _ []string) error { _, err := fmt.Fprintln(out, "hello"); return err }}}})
	require.Nil(t, k.recs, "no bank")
	return log
}

// With no bank at all (a region no geometry fits) the console serves one
// reduced table: what needs no bank runs, the rest answers one line, and a
// restart whose hot reboot fails falls back to a reset without a record.
func TestNoBankModeOnHost(t *testing.T) {
	log := bootNoBank(t, make([]byte, 100))
	why := "pmm: bad geometry: size 0x64 is not a positive multiple of the page size 0x1000"
	assert.Equal(t, "hr: bank unusable: "+why+"\nhr: no-bank mode: only the commands that need no bank run (help lists them)\n"+noSSH, log.String())
	for _, cmd := range []string{"stats", "bank", "dmesg", "pmm ls", "pmm alloc x 1", "arun -g 1 idle", "aps", "resume", "upgrade semihost:x", "crash site", "bench"} {
		name := cmd
		if i := bytes.IndexByte([]byte(cmd), ' '); i > 0 && cmd[:3] != "pmm" {
			name = cmd[:i]
		} else if cmd[:3] == "pmm" {
			name = cmd[:len("pmm ")+bytes.IndexByte([]byte(cmd[4:]+" "), ' ')]
		}
		assert.Equal(t, "error: "+name+" needs the bank (bank unusable: "+why+")", exec(t, cmd), cmd)
	}
	assert.Regexp(t, `^up \d`, exec(t, "uptime"))
	assert.Regexp(t, `^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ `, exec(t, "date"))
	assert.Equal(t, "error: date set needs the bank (bank unusable: "+why+")", exec(t, "date set 2030-01-01"))
	assert.Equal(t, "hello\n", exec(t, "hello"), "the image's own commands are kept")
	assert.Contains(t, exec(t, "help"), "stats")
	assert.Contains(t, exec(t, "help"), "(unavailable in this mode)")
	assert.NotPanics(t, func() { exec(t, "restart") }, "a failed hot reboot with no boot record")
	assert.Contains(t, log.String(), "hr: no hot reboot on the host; warm reset instead\n")
}

// A bank that opens but has no room for the boot record (a full table
// whose boot record was quarantined) is no bank for the kernel, but the
// operator sees it and makes room; the next boot keeps every other block.
func TestNoRoomForTheBootRecordOnHost(t *testing.T) {
	mem := fullBankWithoutBootRecord(t)
	log := bootNoBank(t, mem)
	assert.Contains(t, log.String(), "hr: bank unusable: bootrec: pmm: too many blocks: all 30 in use, 1 by quarantined records\n")
	assert.Contains(t, exec(t, "stats"), "error: stats needs the bank (bank unusable: bootrec: pmm: too many blocks")
	assert.Regexp(t, `__SYS.boot +- +QUARANTINED slot 1 `, exec(t, "pmm ls"))
	assert.Equal(t, "freed b0\n", exec(t, "pmm free b0"))
	assert.NotPanics(t, func() { exec(t, "restart") })

	bootOn(t, mem, Config{Programs: register})
	assert.Equal(t, "no boot record in a valid bank", k.start.Reason)
	assert.Contains(t, exec(t, "pmm ls"), "b1 ")
}

// WDOG1 guards the no-bank mode too (a hot reboot into it left WDOG1
// armed, and it cannot be switched off): the boot arms it and the service
// keeps it fed, with no boot record to leave a breadcrumb in or to tick —
// and, in a bank that opened, writes nothing there.
func TestNoBankModeServicesTheWatchdogOnHost(t *testing.T) {
	for _, c := range []struct {
		name string
		mem  func(t *testing.T) []byte
	}{
		{"no bank", func(*testing.T) []byte { return make([]byte, 100) }},
		{"no room", fullBankWithoutBootRecord},
	} {
		t.Run(c.name, func(t *testing.T) {
			mem := c.mem(t)
			b := &fakeBoard{bank: mem}
			bootBoard(t, b, Config{Programs: register})
			require.Nil(t, k.recs, "no-bank mode")
			before := bytes.Clone(mem)
			assert.EqualValues(t, tunables.WatchdogTimeout, b.wdogTimeout.Load(), "WDOG1 armed")
			// a service a quarter period (1 s) after the boot, then one more
			require.Eventually(t, func() bool { return b.wdogServices.Load() >= 2 }, 5*time.Second, 50*time.Millisecond,
				"WDOG1 serviced")
			assert.Equal(t, before, mem, "no record written in the bank")
		})
	}
}

// fullBankWithoutBootRecord is a bank whose table is full and whose boot
// record is damaged: the next boot quarantines it and finds no slot for a
// new one. It is a copy of the bank a booted system filled: that system's
// watchdog service goes on ticking its boot record until the test ends.
func fullBankWithoutBootRecord(t *testing.T) []byte {
	t.Helper()
	mem := make([]byte, testBank)
	bootOn(t, mem, Config{Programs: register})
	for i := 0; ; i++ {
		if out := exec(t, fmt.Sprintf("pmm alloc b%d 1", i)); out[:5] == "error" {
			require.Contains(t, out, "too many blocks")
			break
		}
	}
	require.NoError(t, k.ctl.Shutdown(time.Second))
	var clone []byte
	// under the boot record's lock, which the watchdog's ticks take
	k.recs.Update(func(*bootrec.Record) { clone = bytes.Clone(mem) })
	damageRecord(t, clone, bootrec.BlockName)
	return clone
}

// The SSH console runs in the no-bank mode and serves the reduced table: a
// board reached only over SSH can still see the bank and make room. With
// no bank at all the host key is made for this boot only, and the log
// says so.
func TestNoBankModeServesSSHOnHost(t *testing.T) {
	user, l := withSSH(t)
	log := bootBoard(t, &fakeBoard{bank: make([]byte, 100), link: l}, Config{Programs: register})
	require.Nil(t, k.recs, "no-bank mode")
	assert.Contains(t, log.String(), "ssh: no bank: host key is new and will not survive a restart\n")
	assert.Contains(t, log.String(), "ssh: console on 10.0.0.1:22 over loopback")

	// a deadline on the connection: a console not served hangs in the
	// banner exchange
	conn, err := net.DialTimeout("tcp4", l.Addr().String(), 5*time.Second)
	require.NoError(t, err)
	require.NoError(t, conn.SetDeadline(time.Now().Add(10*time.Second)))
	cc, chans, reqs, err := ssh.NewClientConn(conn, l.Addr().String(), &ssh.ClientConfig{User: "console",
		Auth: []ssh.AuthMethod{ssh.PublicKeys(user)}, HostKeyCallback: ssh.InsecureIgnoreHostKey()})
	require.NoError(t, err, "SSH handshake")
	c := ssh.NewClient(cc, chans, reqs)
	defer c.Close()
	run := func(line string) (string, string, error) {
		s, err := c.NewSession()
		require.NoError(t, err)
		defer s.Close()
		var out, errOut bytes.Buffer
		s.Stdout, s.Stderr = &out, &errOut
		err = s.Run(line)
		return out.String(), errOut.String(), err
	}
	out, errOut, err := run("uptime")
	require.NoError(t, err, errOut)
	assert.Regexp(t, `^up \d`, out)
	out, errOut, err = run("aps")
	var exit *ssh.ExitError
	require.ErrorAs(t, err, &exit)
	assert.Equal(t, 1, exit.ExitStatus())
	assert.Empty(t, out)
	assert.Equal(t, "error: aps needs the bank (bank unusable: pmm: bad geometry: size 0x64 is not a positive multiple of the page size 0x1000)\n", errOut)
}

// In a bank that opened but has no room, the no-bank mode only reads the
// host key a previous boot kept: with none there, the key is for this boot
// only and no block is made where the operator is making room.
func TestNoRoomMakesNoHostKeyBlockOnHost(t *testing.T) {
	mem := fullBankWithoutBootRecord(t) // an image without SSH filled it
	_, l := withSSH(t)
	log := bootBoard(t, &fakeBoard{bank: mem, link: l}, Config{Programs: register})
	require.Nil(t, k.recs, "no-bank mode")
	assert.Contains(t, log.String(), `ssh: pmm: not found: block "`+netconsole.HostKeyBlock+`": host key is new and will not survive a restart`+"\n")
	assert.Contains(t, log.String(), "ssh: console on 10.0.0.1:22 over loopback")
	assert.NotContains(t, exec(t, "pmm ls"), netconsole.HostKeyBlock)
}

// withSSH builds in one authorized key, its signer returned, until the
// test ends, and gives the board a loopback link.
func withSSH(t *testing.T) (ssh.Signer, net.Listener) {
	t.Helper()
	user, err := ssh.NewSignerFromKey(ed25519.NewKeyFromSeed(bytes.Repeat([]byte{7}, ed25519.SeedSize)))
	require.NoError(t, err)
	builtIn := authorizedKeys
	authorizedKeys = ssh.MarshalAuthorizedKey(user.PublicKey())
	t.Cleanup(func() { authorizedKeys = builtIn })
	l, err := net.Listen("tcp4", "127.0.0.1:0")
	require.NoError(t, err)
	t.Cleanup(func() { l.Close() })
	return user, l
}
