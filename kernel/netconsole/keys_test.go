package netconsole

import (
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	"golang.org/x/crypto/ssh"
)

func TestParseAuthorizedKeys(t *testing.T) {
	k1, k2 := testSigner(t, 2).PublicKey(), testSigner(t, 3).PublicKey()
	file := "# operators\n\n" + string(ssh.MarshalAuthorizedKey(k1)) + "  \r\n" +
		string(ssh.MarshalAuthorizedKey(k2))[:len(ssh.MarshalAuthorizedKey(k2))-1] + " alice@laptop\n"
	keys, err := ParseAuthorizedKeys([]byte(file))
	require.NoError(t, err)
	require.Len(t, keys, 2)
	assert.Equal(t, k1.Marshal(), keys[0].Marshal())
	assert.Equal(t, k2.Marshal(), keys[1].Marshal())
}

func TestParseAuthorizedKeysEmpty(t *testing.T) {
	for _, in := range []string{"", "\n", "# nobody yet\n"} {
		keys, err := ParseAuthorizedKeys([]byte(in))
		require.NoError(t, err)
		assert.Empty(t, keys)
	}
}

func TestParseAuthorizedKeysRefuses(t *testing.T) {
	key := string(ssh.MarshalAuthorizedKey(testSigner(t, 2).PublicKey()))
	_, err := ParseAuthorizedKeys([]byte("# ok\n" + key + "ssh-ed25519 notbase64!\n"))
	require.Error(t, err)
	assert.Contains(t, err.Error(), "line 3")

	_, err = ParseAuthorizedKeys([]byte(`from="10.0.0.2" ` + key))
	require.Error(t, err)
	assert.Contains(t, err.Error(), "not supported")
}
