package pmm

import (
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// damageRecord flips a bit of the checksum of name's record in mem.
func damageRecord(t *testing.T, b *Bank, mem []byte, name string) int {
	t.Helper()
	i, ok := b.byName[name]
	require.True(t, ok, name)
	mem[b.lay.slotOff(i)+rCRC] ^= 1
	return i
}

// A quarantined record is released by Release, by Free of the name it
// reads (a reserved name only by SysFree), or by Format; until then its
// slot and pages are nobody's, and Verify holds it to the bytes Open found.
func TestQuarantineRelease(t *testing.T) {
	b, mem := openBlank(t, small)
	four(t, b)
	si := damageRecord(t, b, mem, "__SYSimg")
	bi := damageRecord(t, b, mem, "b")
	b, rep, err := Open(mem, small)
	require.NoError(t, err)
	require.True(t, rep.Warm)
	require.NoError(t, invariants(b))
	q := b.Quarantined()
	require.Len(t, q, 2)
	assert.Equal(t, []int{si, bi}, []int{q[0].Slot, q[1].Slot})
	assert.Equal(t, Stats{Pages: 24, UsedPages: 6, FreePages: 13, MetaPages: 1, Blocks: 2, MaxBlocks: 6,
		LargestFreeRun: 13, Quarantined: 2, LostPages: 4}, b.Stats())

	_, _, err = b.Lookup("b")
	assert.ErrorIs(t, err, ErrNotFound, "a quarantined block is lost")
	assert.ErrorIs(t, b.Free("__SYSimg"), ErrPrivileged)
	assert.ErrorIs(t, b.Release(0), ErrNotFound, "slot 0 holds a block")
	assert.EqualError(t, b.Release(5), "pmm: not found: slot 5 is not quarantined")

	require.NoError(t, b.Free("b"))
	require.NoError(t, b.SysFree("__SYSimg"))
	assert.Empty(t, b.Quarantined())
	require.NoError(t, invariants(b))
	assert.Equal(t, 0, b.Stats().LostPages)
	_, rep, err = Open(mem, small)
	require.NoError(t, err)
	assert.Equal(t, "valid, 2 blocks", rep.Reason, "released for good")

	// A quarantined record that changes again is reported by Verify;
	// Format releases it with every block.
	b, mem = openBlank(t, small)
	four(t, b)
	damageRecord(t, b, mem, "c")
	b, _, err = Open(mem, small)
	require.NoError(t, err)
	require.Len(t, b.Quarantined(), 1)
	require.NoError(t, b.Verify())
	mem[b.lay.slotOff(b.Quarantined()[0].Slot)+rName] ^= 1
	assert.ErrorContains(t, b.Verify(), "quarantined record changed since Open")
	require.NoError(t, b.Format())
	assert.Empty(t, b.Quarantined())
	assert.Empty(t, b.Blocks())
	require.NoError(t, invariants(b))
}

// A damaged page count withholds no more than the block can have had: its
// run ends where the next block starts, so the rest of the bank stays
// usable.
func TestQuarantineClipsAtTheNextBlock(t *testing.T) {
	b, mem := openBlank(t, small)
	four(t, b)
	_, a, err := b.Lookup("a")
	require.NoError(t, err)
	_, c, err := b.Lookup("c")
	require.NoError(t, err)
	for _, name := range []string{"a", "c"} {
		mem[b.lay.slotOff(b.byName[name])+rPages+2] ^= 0x10 // +1<<20 pages
	}
	b, _, err = Open(mem, small)
	require.NoError(t, err)
	require.NoError(t, invariants(b))
	q := b.Quarantined()
	require.Len(t, q, 2)
	assert.Equal(t, [2]int{a.FirstPage, a.Pages}, [2]int{q[0].FirstPage, q[0].Pages}, "clipped at the next block")
	assert.Equal(t, [2]int{c.FirstPage, small.Size/PageSize - c.FirstPage}, [2]int{q[1].FirstPage, q[1].Pages},
		"the last block's run is clipped at the bank's end only")
	_, err = b.Allocate("n", PageSize, "k")
	assert.ErrorIs(t, err, ErrNoSpace)
	require.NoError(t, b.Release(q[1].Slot))
	_, err = b.Allocate("n", PageSize, "k")
	require.NoError(t, err)
}

// A table full because of quarantined records says so.
func TestTooManyBlocksNamesTheQuarantine(t *testing.T) {
	b, mem := openBlank(t, small)
	four(t, b)
	alloc(t, b, User, "e", 1, "k")
	alloc(t, b, User, "f", 1, "k")
	damageRecord(t, b, mem, "f")
	b, _, err := Open(mem, small)
	require.NoError(t, err)
	_, err = b.Allocate("g", 1, "k")
	assert.EqualError(t, err, "pmm: too many blocks: all 6 in use, 1 by quarantined records")
}
