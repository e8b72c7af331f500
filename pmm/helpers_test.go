package pmm

import (
	"fmt"
	"hash/fnv"
	"slices"
	"testing"

	"github.com/stretchr/testify/require"
)

// small is the geometry most tests use: 24 pages, 1 of them metadata.
var small = Geometry{Size: 24 * PageSize, MaxBlocks: 6}

func openBlank(t testing.TB, g Geometry) (*Bank, []byte) {
	t.Helper()
	mem := make([]byte, g.Size)
	b, rep, err := Open(mem, g)
	require.NoError(t, err)
	require.False(t, rep.Warm)
	require.Equal(t, "blank", rep.Reason)
	return b, mem
}

// pattern is what test blocks hold, derived from the block name so that a
// block that moved or was overwritten shows up.
func pattern(name string, n int) []byte {
	h := fnv.New64a()
	h.Write([]byte(name))
	x := h.Sum64() | 1
	p := make([]byte, n)
	for i := range p {
		x ^= x << 13
		x ^= x >> 7
		x ^= x << 17
		p[i] = byte(x)
	}
	return p
}

func fillAll(t testing.TB, b *Bank) {
	t.Helper()
	for _, bi := range b.Blocks() {
		m, _, err := b.Lookup(bi.Name)
		require.NoError(t, err)
		copy(m, pattern(bi.Name, len(m)))
	}
}

// invariants checks what must hold for any bank Open returns: blocks in
// page order, inside the data area, not overlapping, names unique, counts
// and stats consistent, quarantined slots and pages withheld from every
// new block, slices exact, and the region verifying.
func invariants(b *Bank) error {
	l := b.lay
	blocks := b.Blocks()
	st := b.Stats()
	if len(blocks) > l.maxBlocks || st.Blocks != len(blocks) || st.MaxBlocks != l.maxBlocks {
		return fmt.Errorf("%d blocks, stats %+v", len(blocks), st)
	}
	names := map[string]bool{}
	cur, used := l.metaPages, 0
	for _, bi := range blocks {
		if names[bi.Name] {
			return fmt.Errorf("duplicate name %q", bi.Name)
		}
		names[bi.Name] = true
		if bi.Pages < 1 || bi.FirstPage < cur || bi.FirstPage+bi.Pages > l.pages {
			return fmt.Errorf("block %+v overlaps or outside (cursor %d, %d pages)", bi, cur, l.pages)
		}
		cur = bi.FirstPage + bi.Pages
		used += bi.Pages
		m, info, err := b.Lookup(bi.Name)
		if err != nil || info != bi || len(m) != bi.Pages*PageSize || cap(m) != len(m) ||
			&m[0] != &b.mem[bi.FirstPage*PageSize] {
			return fmt.Errorf("lookup %q: %v %+v len %d cap %d", bi.Name, err, info, len(m), cap(m))
		}
	}
	// Pages withheld by quarantined records and by no block, counted page
	// by page; a quarantined slot is neither a block nor free.
	held := make([]bool, l.pages)
	for _, bi := range blocks {
		for p := bi.FirstPage; p < bi.FirstPage+bi.Pages; p++ {
			held[p] = true
		}
	}
	lost := 0
	q := b.Quarantined()
	for _, qi := range q {
		if qi.Pages > 0 && (qi.FirstPage < l.metaPages || qi.FirstPage+qi.Pages > l.pages) {
			return fmt.Errorf("quarantined %v outside the data pages", qi)
		}
		for p := qi.FirstPage; p < qi.FirstPage+qi.Pages; p++ {
			if !held[p] {
				held[p] = true
				lost++
			}
		}
		if slices.Contains(b.free, qi.Slot) || b.slots[qi.Slot].used {
			return fmt.Errorf("quarantined slot %d is free or a block's", qi.Slot)
		}
	}
	if len(b.free)+len(blocks)+len(q) != l.maxBlocks {
		return fmt.Errorf("%d free + %d blocks + %d quarantined slots of %d", len(b.free), len(blocks), len(q), l.maxBlocks)
	}
	if st.UsedPages != used || st.MetaPages != l.metaPages || st.Pages != l.pages || st.LostPages != lost ||
		st.Quarantined != len(q) || st.FreePages != l.pages-l.metaPages-used-lost || st.LargestFreeRun > st.FreePages {
		return fmt.Errorf("stats %+v, used %d, lost %d", st, used, lost)
	}
	return b.Verify()
}
