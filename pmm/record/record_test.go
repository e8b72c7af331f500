package record

import (
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func TestWriteLoadAlternates(t *testing.T) {
	blk := make([]byte, 4096)
	_, _, err := Load(blk, kind)
	require.ErrorIs(t, err, ErrEmpty)
	assert.EqualError(t, err, "test record: never written")

	r := New(blk, kind)
	for i := byte(1); i <= 5; i++ {
		require.NoError(t, r.Write([]byte{i, i, i}))
		r2, p, err := Load(blk, kind)
		require.NoError(t, err)
		assert.Equal(t, []byte{i, i, i}, p)
		assert.Equal(t, uint32(i), r2.Seq())
		assert.Equal(t, byte('A'+(i-1)%2), r2.Copy(), "version %d", i)
		assert.Empty(t, r2.Note())
	}
	assert.Equal(t, Capacity(4096), r.Cap())
	assert.Equal(t, 2032, Capacity(4096))
	assert.Equal(t, 2*(16+32), BlockSize(32))
	assert.Equal(t, 32, Capacity(BlockSize(32)))
}

func TestLoadErrors(t *testing.T) {
	blk := make([]byte, 256)
	r := New(blk, kind)
	require.NoError(t, r.Write([]byte("one")))

	// another kind's magic is not this record, and says what it is
	other := Kind{Name: "other", Magic: Magic("OTH1"), Version: 3}
	_, _, err := Load(blk, other)
	require.ErrorIs(t, err, ErrInvalid)
	assert.EqualError(t, err, `other: no valid copy: copy A: magic "TST1", want "OTH1"; copy B: never written`)

	// a format version this image does not read is reported, never decoded
	newer := kind
	newer.Version = 4
	r4, p, err := Load(blk, newer)
	require.ErrorIs(t, err, ErrVersion)
	assert.Nil(t, p)
	assert.EqualError(t, err, "test record: unreadable format version: copy A holds version 3, this image reads 4")
	// ...and the next write outranks it
	require.NoError(t, r4.Write([]byte("v4")))
	_, p, err = Load(blk, newer)
	require.NoError(t, err)
	assert.Equal(t, []byte("v4"), p)

	// a version of another kind in the newest copy is not trusted even
	// when the older copy is readable
	require.NoError(t, New(blk, kind).Write([]byte("three")))
	_, _, err = Load(blk, newer)
	require.ErrorIs(t, err, ErrVersion)

	blk[1] = 0x80 // non-printable magic shown in hex
	blk[128+12] ^= 1
	_, _, err = Load(blk, kind)
	assert.EqualError(t, err, "test record: no valid copy: copy A: magic 0x31548054, want \"TST1\"; copy B: CRC mismatch")

	_, _, err = Load(make([]byte, 31), kind)
	assert.ErrorIs(t, err, ErrBlock)
	small, _, _ := Load(make([]byte, 31), kind)
	assert.ErrorIs(t, small.Write(nil), ErrBlock)
	assert.Zero(t, small.Cap())
	assert.ErrorIs(t, New(make([]byte, 8), kind).Write(nil), ErrBlock)

	big := New(make([]byte, 64), kind)
	assert.ErrorIs(t, big.Write(make([]byte, 17)), ErrTooLong)
	assert.NoError(t, big.Write(make([]byte, 16)))

	huge := make([]byte, 2*(Overhead+MaxPayload)+100)
	h := New(huge, kind)
	assert.Equal(t, MaxPayload, h.Cap())
	require.NoError(t, h.Write(make([]byte, MaxPayload)))
	_, p, err = Load(huge, kind)
	require.NoError(t, err)
	assert.Len(t, p, MaxPayload)

	// a length beyond the capacity is not read past the copy
	blk = make([]byte, 64)
	require.NoError(t, New(blk, kind).Write([]byte{1}))
	blk[6], blk[7] = 0xff, 0
	_, _, err = Load(blk, kind)
	assert.EqualError(t, err, "test record: no valid copy: copy A: length 255 beyond 16; copy B: never written")
}

// Sequence numbers compare modulo 2³²: after 2³²−1 comes 1, and it wins.
func TestSequenceWraps(t *testing.T) {
	blk := make([]byte, 256)
	r := New(blk, kind)
	r.seq = 0xfffffffe
	require.NoError(t, r.Write([]byte{1}))
	require.NoError(t, r.Write([]byte{2}))
	assert.Equal(t, uint32(1), r.Seq(), "0 is skipped")
	r2, p, err := Load(blk, kind)
	require.NoError(t, err)
	assert.Equal(t, []byte{2}, p)
	assert.Equal(t, uint32(1), r2.Seq())
}

// New on a block that already holds a record continues its sequence, so
// its first write is the newest version.
func TestNewContinuesSequence(t *testing.T) {
	blk := make([]byte, 256)
	r := New(blk, kind)
	for i := byte(0); i < 3; i++ {
		require.NoError(t, r.Write([]byte{i}))
	}
	r2 := New(blk, kind)
	assert.Equal(t, uint32(3), r2.Seq())
	require.NoError(t, r2.Write([]byte{9}))
	_, p, err := Load(blk, kind)
	require.NoError(t, err)
	assert.Equal(t, []byte{9}, p)
}

func TestPayloadIsACopy(t *testing.T) {
	blk := make([]byte, 256)
	require.NoError(t, New(blk, kind).Write([]byte{1, 2}))
	_, p, err := Load(blk, kind)
	require.NoError(t, err)
	p[0] = 7
	_, p, _ = Load(blk, kind)
	assert.Equal(t, []byte{1, 2}, p)
	assert.Equal(t, kind, New(blk, kind).Kind())
	assert.Equal(t, "test record v3, seq 1 in copy A", New(blk, kind).String())
}

func TestWriteDoesNotAllocate(t *testing.T) {
	r := New(make([]byte, 512), kind)
	p := make([]byte, 100)
	assert.Zero(t, testing.AllocsPerRun(100, func() { _ = r.Write(p) }))
}
