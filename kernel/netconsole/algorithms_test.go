package netconsole

import (
	"bufio"
	"encoding/binary"
	"io"
	"net"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// offer is what a server says before any secret is agreed: its version line
// and the name-lists of its SSH_MSG_KEXINIT (RFC 4253 §7.1).
type offer struct {
	version                                                 string
	kex, hostKeys, ciphersC2S, ciphersS2C, macsC2S, macsS2C []string
}

// readOffer connects as a bare TCP peer, sends a version line and reads the
// server's version line and first packet, which is sent in the clear.
func readOffer(t *testing.T, addr string) offer {
	t.Helper()
	c, err := net.Dial("tcp4", addr)
	require.NoError(t, err)
	defer c.Close()
	require.NoError(t, c.SetDeadline(time.Now().Add(wait)))
	_, err = io.WriteString(c, "SSH-2.0-offertest\r\n")
	require.NoError(t, err)
	r := bufio.NewReader(c)
	var o offer
	for !strings.HasPrefix(o.version, "SSH-") {
		o.version, err = r.ReadString('\n')
		require.NoError(t, err)
	}
	o.version = strings.TrimRight(o.version, "\r\n")
	var hdr [5]byte
	_, err = io.ReadFull(r, hdr[:])
	require.NoError(t, err)
	pkt := make([]byte, binary.BigEndian.Uint32(hdr[:4])-1)
	_, err = io.ReadFull(r, pkt)
	require.NoError(t, err)
	payload := pkt[:len(pkt)-int(hdr[4])]
	require.Equal(t, byte(20), payload[0], "SSH_MSG_KEXINIT")
	p := payload[17:] // message number and cookie
	list := func() []string {
		n := binary.BigEndian.Uint32(p)
		s := string(p[4 : 4+n])
		p = p[4+n:]
		return strings.Split(s, ",")
	}
	o.kex, o.hostKeys = list(), list()
	o.ciphersC2S, o.ciphersS2C = list(), list()
	o.macsC2S, o.macsS2C = list(), list()
	return o
}

// The server offers exactly the modern set: no NIST-curve or SHA-1 key
// exchange, no encrypt-and-MAC, an ed25519 host key, strict key exchange,
// and a banner that names the project.
func TestOfferedAlgorithms(t *testing.T) {
	ts := startServer(t, nil)
	o := readOffer(t, ts.addr)
	assert.Equal(t, "SSH-2.0-HotRestart_1", o.version)
	assert.Equal(t, []string{"mlkem768x25519-sha256", "curve25519-sha256", "curve25519-sha256@libssh.org",
		"kex-strict-s-v00@openssh.com"}, o.kex)
	assert.Equal(t, []string{"ssh-ed25519"}, o.hostKeys)
	ciphers := []string{"chacha20-poly1305@openssh.com", "aes256-gcm@openssh.com", "aes128-gcm@openssh.com",
		"aes256-ctr", "aes192-ctr", "aes128-ctr"}
	assert.Equal(t, ciphers, o.ciphersC2S)
	assert.Equal(t, ciphers, o.ciphersS2C)
	macs := []string{"hmac-sha2-256-etm@openssh.com", "hmac-sha2-512-etm@openssh.com"}
	assert.Equal(t, macs, o.macsC2S)
	assert.Equal(t, macs, o.macsS2C)
}
