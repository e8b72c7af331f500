package netconsole

import (
	"bytes"
	"errors"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	"golang.org/x/crypto/ssh"

	"github.com/hotrestart/tamago-hr/pmm/record"
)

// failingReader stands for an entropy source that must not be consulted.
type failingReader struct{}

func (failingReader) Read([]byte) (int, error) { return 0, errors.New("entropy unavailable") }

func TestHostKeyMadeOnceThenKept(t *testing.T) {
	block := make([]byte, 4096) // a fresh bank block is zeroed
	first, note, err := HostKey(block, bytes.NewReader(bytes.Repeat([]byte{7}, 64)))
	require.NoError(t, err)
	assert.Empty(t, note, "a blank block is not worth a report")
	assert.Equal(t, "ssh-ed25519", first.PublicKey().Type())
	assert.Equal(t, "HRSK", string(block[:4]))

	// After a site restart the same block gives the same key, and no
	// entropy is drawn.
	again, note, err := HostKey(block, failingReader{})
	require.NoError(t, err)
	assert.Empty(t, note)
	assert.Equal(t, first.PublicKey().Marshal(), again.PublicKey().Marshal())

	pub, err := StoredHostKey(block)
	require.NoError(t, err)
	assert.Equal(t, ssh.FingerprintSHA256(first.PublicKey()), ssh.FingerprintSHA256(pub))
}

func TestHostKeyGarbledIsReplaced(t *testing.T) {
	block := make([]byte, HostKeySize)
	first, _, err := HostKey(block, bytes.NewReader(bytes.Repeat([]byte{7}, 32)))
	require.NoError(t, err)

	for _, off := range []int{0, 12 + 5, 12 + 32} {
		garbled := bytes.Clone(block)
		garbled[off] ^= 0x40
		// A bad record is never trusted: it needs fresh entropy...
		_, _, err := HostKey(bytes.Clone(garbled), failingReader{})
		require.Error(t, err, "offset %d", off)
		_, err = StoredHostKey(garbled)
		require.ErrorIs(t, err, record.ErrInvalid)
		// ...becomes a different key, and says why.
		next, note, err := HostKey(garbled, bytes.NewReader(bytes.Repeat([]byte{9}, 32)))
		require.NoError(t, err)
		assert.Contains(t, note, "ssh host key: no valid copy: copy A: ", "offset %d", off)
		assert.NotEqual(t, first.PublicKey().Marshal(), next.PublicKey().Marshal(), "offset %d", off)
	}

	// The single-copy format of earlier images is not read.
	old := make([]byte, 4096)
	copy(old, "HRSSHK01")
	_, note, err := HostKey(old, bytes.NewReader(make([]byte, 32)))
	require.NoError(t, err)
	assert.Contains(t, note, `copy A: magic "HRSS", want "HRSK"`)

	// A record with a seed of another size is not a key.
	odd := make([]byte, 256)
	require.NoError(t, record.New(odd, HostKeyKind).Write([]byte{1, 2, 3}))
	_, note, err = HostKey(bytes.Clone(odd), bytes.NewReader(make([]byte, 32)))
	require.NoError(t, err)
	assert.Equal(t, "ssh host key: seed of 3 bytes, want 32", note)
	_, err = StoredHostKey(odd)
	assert.EqualError(t, err, "ssh host key: seed of 3 bytes, want 32")
}

func TestHostKeyErrors(t *testing.T) {
	_, _, err := HostKey(make([]byte, record.BlockSize(0)-1), failingReader{})
	require.ErrorIs(t, err, record.ErrBlock)
	_, _, err = HostKey(make([]byte, HostKeySize-1), bytes.NewReader(make([]byte, 32)))
	require.ErrorIs(t, err, record.ErrTooLong)

	block := make([]byte, HostKeySize)
	_, _, err = HostKey(block, bytes.NewReader(make([]byte, 10))) // short entropy
	require.Error(t, err)
	_, err = StoredHostKey(block)
	assert.ErrorIs(t, err, record.ErrEmpty, "a failed generation stores nothing")
}
