package actors

import (
	"math/rand"
	"slices"
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/hotrestart/tamago-hr/pmm"
)

// cutState is a state whose commits change bytes all over its payload.
type cutState struct {
	Seq   uint64
	Temps [3]int16
	On    bool
	_     [3]byte
	Avg   float32
}

// TestPersistentCutEveryCommit reopens the block of a Persistent with every
// cut of each Commit — every prefix and every suffix of the changed bytes
// in address order (a cut at every byte), every byte alone, every byte
// missing, and random subsets — and requires the value before that Commit
// or the value it committed, never a mix, then a working next Commit. The
// commits go from a new block (the first one's cut falls back to the zero
// value) through both copies several times.
func TestPersistentCutEveryCommit(t *testing.T) {
	st, err := stateTypeOf[cutState]()
	require.NoError(t, err)
	rng := rand.New(rand.NewSource(14))
	blk := make([]byte, pmm.PageSize)
	s, note, err := openState[cutState](blk, "CUT@1", st, nil)
	require.NoError(t, err)
	require.Empty(t, note)
	var prev cutState
	images := 0
	for i := range 6 {
		next := cutState{Seq: uint64(i+1) * 0x0101010101, Temps: [3]int16{int16(-i), int16(100 * i), 7}, On: i%2 == 0, Avg: float32(i) / 3}
		before := slices.Clone(blk)
		require.NoError(t, s.Commit(next))
		diff := changed(before, blk)
		require.NotEmpty(t, diff)
		after := slices.Clone(blk)
		for _, landed := range cuts(len(diff), rng) {
			img := slices.Clone(before)
			for _, k := range landed {
				img[diff[k]] = after[diff[k]]
			}
			s2, _, err := openState[cutState](img, "CUT@1", st, nil)
			require.NoError(t, err, "commit %d cut with %d of %d bytes landed", i+1, len(landed), len(diff))
			if got := s2.Get(); got != next {
				require.Equal(t, prev, got, "commit %d cut with %d of %d bytes landed: neither before nor after", i+1, len(landed), len(diff))
			}
			if len(landed) == len(diff) {
				require.Equal(t, next, s2.Get(), "whole commit")
			}
			v := cutState{Seq: 0xdead, On: true}
			require.NoError(t, s2.Commit(v))
			s3, _, err := openState[cutState](img, "CUT@1", st, nil)
			require.NoError(t, err)
			require.Equal(t, v, s3.Get(), "the next commit after the cut")
			images++
		}
		prev = next
	}
	t.Logf("%d cut images", images)
}

// changed lists the offsets where a and b differ.
func changed(a, b []byte) (at []int) {
	for i, x := range a {
		if x != b[i] {
			at = append(at, i)
		}
	}
	return at
}

// cuts lists the sets of changed bytes (indexes into them) a reset may
// leave landed.
func cuts(n int, rng *rand.Rand) [][]int {
	var out [][]int
	all := make([]int, n)
	for i := range all {
		all[i] = i
	}
	for k := 0; k <= n; k++ {
		out = append(out, all[:k], all[k:])
		if k < n {
			out = append(out, []int{k}, slices.Delete(slices.Clone(all), k, k+1))
		}
	}
	for range 1000 {
		var r []int
		for i := range n {
			if rng.Intn(2) == 0 {
				r = append(r, i)
			}
		}
		out = append(out, r)
	}
	return out
}

// The fingerprint is taken of this layout: type names, field names and
// types in order, array lengths, the kinds under named types. Changing it
// makes every stored state unreadable, so it is pinned here.
func TestStateLayout(t *testing.T) {
	st, err := stateTypeOf[cutState]()
	require.NoError(t, err)
	require.Equal(t, "actors.cutState{Seq uint64;Temps [3]int16;On bool;_ [3]uint8;Avg float32;}", st.layout)
	require.Equal(t, 8+6+1+3+4, st.size)
	type celsius int16
	st, err = stateTypeOf[[2]celsius]()
	require.NoError(t, err)
	require.Equal(t, "[2]actors.celsius:int16", st.layout)
}

// BenchmarkPersistentCommit measures Commit of a 24-byte struct into its
// one-page block (encoding, CRC-32C, the fence), without a controller.
func BenchmarkPersistentCommit(b *testing.B) {
	st, err := stateTypeOf[cutState]()
	require.NoError(b, err)
	s, _, err := openState[cutState](make([]byte, pmm.PageSize), "BENCH@1", st, nil)
	require.NoError(b, err)
	v := cutState{On: true}
	b.ReportAllocs()
	for b.Loop() {
		v.Seq++
		if err := s.Commit(v); err != nil {
			b.Fatal(err)
		}
	}
}

// cutStateV2 is cutState's next version: Temps widened and one longer, On
// renamed, Avg moved, a field added.
type cutStateV2 struct {
	Avg     float64
	Seq     uint64
	Temps   [4]int32
	Enabled bool `hr:"was=On"`
	Trips   uint32
}

// TestMigrationCommitCut cuts the commit of a migration at every byte and
// reopens the block with both versions: the old one always reads its own
// value, the new one always the migrated value (migrated again when the
// commit did not land), and the block stays writable.
func TestMigrationCommitCut(t *testing.T) {
	rng := rand.New(rand.NewSource(21))
	size, err := BlockSize[cutState]()
	require.NoError(t, err)
	blk := make([]byte, size)
	s, _, err := LoadBlock[cutState](blk, "CUT@1")
	require.NoError(t, err)
	old := cutState{Seq: 0x0102030405, Temps: [3]int16{-7, 300, 1}, On: true, Avg: 2.5}
	require.NoError(t, s.Commit(cutState{Seq: 1}))
	require.NoError(t, s.Commit(old)) // in copy A, an older value in copy B
	want := cutStateV2{Avg: 2.5, Seq: 0x0102030405, Temps: [4]int32{-7, 300, 1}, Enabled: true}

	before := slices.Clone(blk)
	s2, note, err := LoadBlock[cutStateV2](blk, "CUT@1")
	require.NoError(t, err)
	require.Equal(t, want, s2.Get())
	require.Contains(t, note, "added Trips")
	diff := changed(before, blk)
	require.NotEmpty(t, diff, "the migration was committed")
	after := slices.Clone(blk)
	images := 0
	for _, landed := range cuts(len(diff), rng) {
		img := slices.Clone(before)
		for _, k := range landed {
			img[diff[k]] = after[diff[k]]
		}
		v1, _, err := LoadBlock[cutState](slices.Clone(img), "CUT@1")
		require.NoError(t, err, "%d of %d bytes landed", len(landed), len(diff))
		require.Equal(t, old, v1.Get(), "the old version, %d of %d bytes landed", len(landed), len(diff))
		v2, _, err := LoadBlock[cutStateV2](img, "CUT@1")
		require.NoError(t, err)
		require.Equal(t, want, v2.Get(), "the new version, %d of %d bytes landed", len(landed), len(diff))
		next := cutStateV2{Seq: 9, Trips: 1}
		require.NoError(t, v2.Commit(next))
		v3, _, err := LoadBlock[cutStateV2](img, "CUT@1")
		require.NoError(t, err)
		require.Equal(t, next, v3.Get(), "the next commit after the cut")
		images++
	}
	t.Logf("%d cut images", images)
}
