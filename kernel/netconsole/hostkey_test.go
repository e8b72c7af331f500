package netconsole

import (
	"bytes"
	"errors"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// failingReader stands for an entropy source that must not be consulted.
type failingReader struct{}

func (failingReader) Read([]byte) (int, error) { return 0, errors.New("entropy unavailable") }

func TestHostKeyMadeOnceThenKept(t *testing.T) {
	block := make([]byte, 4096) // a fresh bank block is zeroed
	first, err := HostKey(block, bytes.NewReader(bytes.Repeat([]byte{7}, 64)))
	require.NoError(t, err)
	assert.Equal(t, "ssh-ed25519", first.PublicKey().Type())
	assert.Equal(t, "HRSSHK01", string(block[:8]))

	// After a site restart the same block gives the same key, and no
	// entropy is drawn.
	again, err := HostKey(block, failingReader{})
	require.NoError(t, err)
	assert.Equal(t, first.PublicKey().Marshal(), again.PublicKey().Marshal())
}

func TestHostKeyGarbledIsReplaced(t *testing.T) {
	block := make([]byte, HostKeySize)
	first, err := HostKey(block, bytes.NewReader(bytes.Repeat([]byte{7}, 32)))
	require.NoError(t, err)

	for _, off := range []int{0, seedOff + 5, crcOff} {
		garbled := bytes.Clone(block)
		garbled[off] ^= 0x40
		// A bad record is never trusted: it needs fresh entropy...
		_, err := HostKey(bytes.Clone(garbled), failingReader{})
		require.Error(t, err, "offset %d", off)
		// ...and becomes a different key.
		next, err := HostKey(garbled, bytes.NewReader(bytes.Repeat([]byte{9}, 32)))
		require.NoError(t, err)
		assert.NotEqual(t, first.PublicKey().Marshal(), next.PublicKey().Marshal(), "offset %d", off)
	}
}

func TestHostKeyErrors(t *testing.T) {
	_, err := HostKey(make([]byte, HostKeySize-1), bytes.NewReader(make([]byte, 32)))
	require.Error(t, err)

	block := make([]byte, HostKeySize)
	_, err = HostKey(block, bytes.NewReader(make([]byte, 10))) // short entropy
	require.Error(t, err)
	assert.False(t, validHostKey(block), "a failed generation stores nothing valid")
}
