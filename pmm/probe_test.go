package pmm

import (
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func TestGeometryOf(t *testing.T) {
	g := Geometry{Size: 40 * PageSize, MaxBlocks: 77}
	_, mem := openBlank(t, g)
	got, err := GeometryOf(mem)
	require.NoError(t, err)
	assert.Equal(t, g, got)
	got, err = GeometryOf(mem[:headerSize]) // the header is enough
	require.NoError(t, err)
	assert.Equal(t, g, got)

	for _, tc := range []struct {
		name  string
		mem   []byte
		err   error
		error string
	}{
		{"short", mem[:10], ErrCorrupt, "pmm: corrupt bank: 10 bytes, the header alone is 64"},
		{"blank", make([]byte, PageSize), ErrCorrupt, "pmm: corrupt bank: blank"},
		{"magic", append([]byte{1}, mem[1:headerSize]...), ErrCorrupt, "pmm: corrupt bank: bad magic 0x4d505201"},
		{"crc", func() []byte { m := append([]byte(nil), mem[:headerSize]...); m[hPages]++; return m }(), ErrCorrupt, "pmm: corrupt bank: bad header checksum"},
		{"page size", patched(mem, hPageSize, 8192), ErrGeometry, "pmm: bad geometry: page size 0x2000 in bank, 0x1000 here"},
		{"pages", patched(mem, hPages, MaxPages+1), ErrGeometry, "pmm: bad geometry: 16777217 pages, 77 blocks recorded"},
		{"no data page", patched(mem, hPages, 1), ErrGeometry, "leaves no data page"},
	} {
		_, err := GeometryOf(tc.mem)
		require.ErrorIs(t, err, tc.err, tc.name)
		assert.Contains(t, err.Error(), tc.error, tc.name)
	}
}

// patched is a header with the u32 at off set to v and its CRC fixed.
func patched(mem []byte, off int, v uint32) []byte {
	h := append([]byte(nil), mem[:headerSize]...)
	le.PutUint32(h[off:], v)
	le.PutUint32(h[hCRC:], crc(h[:hCRC]))
	return h
}
