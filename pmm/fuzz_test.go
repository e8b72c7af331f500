package pmm

import (
	"fmt"
	"slices"
	"testing"

	"github.com/stretchr/testify/require"
)

// fuzzGeometry maps two fuzz bytes to a valid geometry of 2..32 pages and
// 1..40 blocks (whose metadata always fits in the first page).
func fuzzGeometry(pages, blocks uint8) Geometry {
	return Geometry{Size: (2 + int(pages)%31) * PageSize, MaxBlocks: 1 + int(blocks)%40}
}

// fuzzSeeds are banks as this package writes them: populated, mid-operation
// (journal committed, table half-written), and with bits flipped.
func fuzzSeeds(f *testing.F) {
	b, mem := openBlank(f, small)
	four(f, b)
	meta := slices.Clone(mem[:PageSize])
	f.Add(meta, uint8(22), uint8(5))
	f.Add(meta, uint8(22), uint8(6)) // other geometry
	for _, bit := range []int{3, 8 * 70, 8*journalOff + 1, 8 * (layoutOf(small).slotsOff + 30)} {
		m := slices.Clone(meta)
		m[bit/8] ^= 1 << (bit % 8)
		f.Add(m, uint8(22), uint8(5))
	}
	r := &recorder{mem: mem}
	b.st = r
	_, _ = b.FreeAll("job")
	for k := range r.log {
		m := slices.Clone(meta)
		for _, s := range r.log[:k] {
			copy(m[s.off:], s.p)
		}
		f.Add(m, uint8(22), uint8(5))
	}
	f.Add([]byte{}, uint8(0), uint8(0))
	f.Add([]byte("HRPM\x01\x00\x40\x00"), uint8(0), uint8(0))
}

// FuzzOpen feeds arbitrary metadata to Open. Whatever the bytes, Open must
// not panic or fail, and the bank it returns must satisfy the invariants and
// verify: warm only if the metadata is exactly as this package writes it
// (CRCs guard every record), otherwise cold. Reopening must then be warm and
// identical, and the bank usable.
func FuzzOpen(f *testing.F) {
	fuzzSeeds(f)
	f.Fuzz(func(t *testing.T, data []byte, pages, blocks uint8) {
		g := fuzzGeometry(pages, blocks)
		mem := make([]byte, g.Size)
		copy(mem, data)
		b, rep, err := Open(mem, g)
		require.NoError(t, err)
		require.NotEmpty(t, rep.Reason)
		require.NoError(t, invariants(b), rep.Reason)
		want := b.Blocks()
		b2, rep2, err := Open(mem, g)
		require.NoError(t, err)
		require.True(t, rep2.Warm, rep2.Reason)
		require.Equal(t, want, b2.Blocks())
		if len(want) == g.MaxBlocks {
			require.NoError(t, b2.SysFree(want[0].Name))
		}
		if _, err := b2.AllocateAs(System, "fuzz", 1, "k"); err != nil {
			// a quarantined record keeps its table slot (it is evidence
			// until released): with the blocks it fills the table
			if len(b2.Blocks())+len(b2.Quarantined()) >= g.MaxBlocks {
				require.ErrorIs(t, err, ErrTooManyBlocks)
			} else {
				require.ErrorIs(t, err, ErrNoSpace)
			}
		}
		require.NoError(t, invariants(b2))
	})
}

// FuzzDamageOneRecord xors arbitrary bytes into one table record of a
// populated bank: whatever the damage, Open stays warm, keeps every other
// block with its data, quarantines that record alone (unless the damage
// left a valid record, which the checksums make all but impossible) and
// never hands its pages to a new block.
func FuzzDamageOneRecord(f *testing.F) {
	f.Add([]byte{0, 0, 0, 0, 1}, uint8(0))
	f.Add([]byte{1}, uint8(1))
	f.Add(make([]byte, rFirst)[:rFirst-1], uint8(3))
	f.Add([]byte{0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff}, uint8(2))
	f.Add([]byte{0x42, 0x4c, 0x43, 0x4b}, uint8(5)) // a free slot says "BLCK"
	f.Fuzz(func(t *testing.T, x []byte, slot uint8) {
		b, mem := openBlank(t, small)
		four(t, b)
		fillAll(t, b)
		i := int(slot) % small.MaxBlocks
		lost := b.slots[i]
		off := layoutOf(small).slotOff(i)
		for k := 0; k < len(x) && k < recordSize; k++ {
			mem[off+k] ^= x[k]
		}
		if _, why := decodeRecord(mem[off:off+recordSize], layoutOf(small)); why == "" {
			t.Skip("the damage left a valid record")
		}
		want := slices.DeleteFunc(b.Blocks(), func(bi BlockInfo) bool { return lost.used && bi.Name == lost.name })
		b2, rep, err := Open(mem, small)
		require.NoError(t, err)
		require.True(t, rep.Warm, rep.Reason)
		require.NoError(t, invariants(b2))
		require.Equal(t, want, b2.Blocks())
		checkData(t, b2, want)
		q := b2.Quarantined()
		require.Len(t, q, 1)
		require.Equal(t, i, q[0].Slot)
		for {
			if _, err := b2.Allocate(fmt.Sprintf("n%d", len(b2.Blocks())), PageSize, "k"); err != nil {
				break
			}
		}
		require.NoError(t, invariants(b2)) // withheld pages taken by no block
		checkData(t, b2, want)
		require.NoError(t, b2.Release(i))
		require.Empty(t, b2.Quarantined())
		require.NoError(t, invariants(b2))
	})
}
