package upgrade

import (
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func TestProtectionsRoundTrip(t *testing.T) {
	m := testManifest("v2")
	m.SetProtections(Protections{SSHConsole: true, SignedUpgrades: true})
	got, err := ParseManifest(m.Marshal())
	require.NoError(t, err)
	assert.Equal(t, Protections{SSHConsole: true, SignedUpgrades: true}, got.Protections())
	assert.Contains(t, string(m.Marshal()), "\nprotect.signedUpgrades=1\nprotect.sshConsole=1\n")

	m.SetProtections(Protections{})
	assert.NotContains(t, string(m.Marshal()), "protect.")
	assert.Equal(t, Protections{}, m.Protections())
	assert.NoError(t, m.Compatible(testManifest("v1")), "protections are no layout")
}

// An image that drops what the running one protects is refused, unless the
// operator gives that up by name; keeping or adding a protection is fine.
func TestKeepsProtections(t *testing.T) {
	const (
		noSSH = "no SSH console (built without AUTHORIZED_KEYS): nobody could log in over the network once it commits; --drop-ssh accepts that"
		noSig = "no upgrade key (built without UPGRADE_KEY): it would accept any image, signed or not; --drop-signature accepts that"
	)
	both := Protections{SSHConsole: true, SignedUpgrades: true}
	for _, tc := range []struct {
		running, next Protections
		drops         Drops
		want          string
	}{
		{both, both, Drops{}, ""},
		{Protections{}, both, Drops{}, ""},
		{Protections{}, Protections{}, Drops{}, ""},
		{both, Protections{}, Drops{}, noSSH + "; " + noSig},
		{both, Protections{SignedUpgrades: true}, Drops{}, noSSH},
		{both, Protections{SSHConsole: true}, Drops{}, noSig},
		{both, Protections{}, Drops{SSHConsole: true}, noSig},
		{both, Protections{}, Drops{SignedUpgrades: true}, noSSH},
		{both, Protections{}, Drops{SSHConsole: true, SignedUpgrades: true}, ""},
		{Protections{SSHConsole: true}, Protections{}, Drops{SignedUpgrades: true}, noSSH},
	} {
		m := testManifest("v2")
		m.SetProtections(tc.next)
		err := m.KeepsProtections(tc.running, tc.drops)
		if tc.want == "" {
			assert.NoError(t, err, "%+v", tc)
			continue
		}
		assert.ErrorIs(t, err, ErrDropsProtection)
		assert.EqualError(t, err, "the new image drops a protection: "+tc.want, "%+v", tc)
	}
}
