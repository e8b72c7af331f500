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
