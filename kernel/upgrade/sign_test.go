package upgrade

import (
	"crypto/rand"
	"fmt"
	"testing"

	"aead.dev/minisign"
	"github.com/stretchr/testify/require"
)

func signedImage(t *testing.T, priv minisign.PrivateKey, raw []byte) *Image {
	t.Helper()
	stream := append(raw[:len(raw):len(raw)], minisign.Sign(priv, raw)...)
	img, err := Parse(stream, testArea)
	require.NoError(t, err)
	return img
}

func TestVerify(t *testing.T) {
	pub, priv, err := minisign.GenerateKey(rand.Reader)
	require.NoError(t, err)
	otherPub, otherPriv, err := minisign.GenerateKey(rand.Reader)
	require.NoError(t, err)
	raw := goodELF().bytes()

	img := signedImage(t, priv, raw)
	require.NoError(t, img.Verify(&pub))
	require.NoError(t, img.Verify(nil), "no key built in: anything goes")

	require.EqualError(t, img.Verify(&otherPub),
		fmt.Sprintf("bad signature: signed by key %X, this image trusts %X", pub.ID(), otherPub.ID()))

	unsigned, err := Parse(raw, testArea)
	require.NoError(t, err)
	require.EqualError(t, unsigned.Verify(&pub), fmt.Sprintf("image is not signed: this image requires a signature by key %X", pub.ID()))

	// one flipped byte in the ELF, signature unchanged
	tampered := signedImage(t, priv, raw)
	tampered.ELF = append([]byte(nil), tampered.ELF...)
	tampered.ELF[100] ^= 1
	require.EqualError(t, tampered.Verify(&pub), fmt.Sprintf("bad signature: does not match the image (key %X)", pub.ID()))

	// a signature by another key with this key's id forged in is still refused
	forged := signedImage(t, otherPriv, raw)
	var sig minisign.Signature
	require.NoError(t, sig.UnmarshalText(forged.Signature))
	sig.KeyID = pub.ID()
	forged.Signature, err = sig.MarshalText()
	require.NoError(t, err)
	require.ErrorIs(t, forged.Verify(&pub), ErrBadSignature)

	garbled := signedImage(t, priv, raw)
	garbled.Signature = []byte("untrusted comment: x\nnot base64\n")
	require.ErrorIs(t, garbled.Verify(&pub), ErrBadSignature)
}

func TestParsePublicKey(t *testing.T) {
	pub, _, err := minisign.GenerateKey(rand.Reader)
	require.NoError(t, err)
	line, err := pub.MarshalText()
	require.NoError(t, err)
	for _, text := range []string{string(line), string(line) + "\n", "untrusted comment: minisign public key\n" + string(line) + "\n"} {
		got, err := ParsePublicKey([]byte(text))
		require.NoError(t, err)
		require.True(t, pub.Equal(*got))
	}
	_, err = ParsePublicKey([]byte("RWnot a key"))
	require.Error(t, err)
}
