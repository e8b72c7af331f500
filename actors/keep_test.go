package actors

import (
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/hotrestart/tamago-hr/pmm"
)

type (
	keepV1 struct {
		Meters uint64
		Starts uint32
	}
	keepV2Added struct { // reversible: a field added, one widened
		Meters uint64
		Starts uint64
		Trips  uint32
	}
	keepV2Dropped struct{ Meters uint64 } // not reversible: Starts dropped
)

// put commits v as state name of type T in b, allocating its block.
func put[T any](t *testing.T, b *pmm.Bank, name string, v T) {
	t.Helper()
	size, err := BlockSize[T]()
	require.NoError(t, err)
	blk, err := b.AllocateAs(pmm.User, name, size, "gkey")
	require.NoError(t, err)
	s, _, err := LoadBlock[T](blk, name)
	require.NoError(t, err)
	require.NoError(t, s.Commit(v))
}

// get loads state name of b as T.
func get[T any](t *testing.T, b *pmm.Bank, name string) T {
	t.Helper()
	blk, _, err := b.Lookup(name)
	require.NoError(t, err)
	s, _, err := LoadBlock[T](blk, name)
	require.NoError(t, err)
	return s.Get()
}

func keepBank(t *testing.T, blocks int) *pmm.Bank {
	b, _, err := pmm.Open(make([]byte, 128<<10), pmm.Geometry{Size: 128 << 10, MaxBlocks: blocks})
	require.NoError(t, err)
	return b
}

// A rollback gives the previous version its own state: converted back by
// name where the upgrade only added and widened, the value kept from
// before the upgrade where it dropped a field; the copies are freed.
func TestRollbackRestoresKeptStates(t *testing.T) {
	b := keepBank(t, 16)
	put(t, b, "A@1", keepV1{Meters: 100, Starts: 2})
	put(t, b, "B@2", keepV1{Meters: 200, Starts: 3})
	put(t, b, "C@3", keepV1{Meters: 300, Starts: 4})
	raw, err := b.Allocate("RAW@1", 100, "gkey")
	require.NoError(t, err)
	copy(raw, "not a state")

	names, err := ReserveKept(b)
	require.NoError(t, err)
	require.Equal(t, []string{"A@1", "B@2", "C@3"}, names)
	FillKept(b)

	// the trial: A migrates and drives on, B loses Starts, C is untouched
	a := get[keepV2Added](t, b, "A@1")
	require.Equal(t, keepV2Added{Meters: 100, Starts: 2}, a)
	blk, _, _ := b.Lookup("A@1")
	s, _, err := LoadBlock[keepV2Added](blk, "A@1")
	require.NoError(t, err)
	require.NoError(t, s.Commit(keepV2Added{Meters: 150, Starts: 3, Trips: 1}))
	require.NoError(t, s.Commit(keepV2Added{Meters: 160, Starts: 3, Trips: 1}))
	require.Equal(t, keepV2Dropped{Meters: 200}, get[keepV2Dropped](t, b, "B@2"))
	blk, _, _ = b.Lookup("B@2")
	sb, _, err := LoadBlock[keepV2Dropped](blk, "B@2")
	require.NoError(t, err)
	require.NoError(t, sb.Commit(keepV2Dropped{Meters: 250}))

	lines := RestoreKept(b)
	require.Equal(t, []string{
		"A@1: converted back by name, 3 commits of the trial kept",
		"B@2: restored the value from before the upgrade, 2 commits of the trial dropped",
		"C@3: unchanged",
	}, lines)
	require.Equal(t, keepV1{Meters: 160, Starts: 3}, get[keepV1](t, b, "A@1"))
	require.Equal(t, keepV1{Meters: 200, Starts: 3}, get[keepV1](t, b, "B@2"), "its own value back, Starts included")
	require.Equal(t, keepV1{Meters: 300, Starts: 4}, get[keepV1](t, b, "C@3"))
	for _, bi := range b.Blocks() {
		require.NotEqual(t, KeptKey, bi.Key, "the copies are freed")
	}
}

// A value that grew past the old kind during the trial is not converted
// back (the old version could not load it): the kept value is restored.
func TestRollbackRestoresWhatCannotConvertBack(t *testing.T) {
	b := keepBank(t, 16)
	put(t, b, "A@1", keepV1{Meters: 1, Starts: 7})
	_, err := ReserveKept(b)
	require.NoError(t, err)
	FillKept(b)
	blk, _, _ := b.Lookup("A@1")
	s, _, err := LoadBlock[keepV2Added](blk, "A@1")
	require.NoError(t, err)
	require.NoError(t, s.Commit(keepV2Added{Meters: 2, Starts: 1 << 40}))
	require.Equal(t, []string{"A@1: restored the value from before the upgrade, 2 commits of the trial dropped"}, RestoreKept(b))
	require.Equal(t, keepV1{Meters: 1, Starts: 7}, get[keepV1](t, b, "A@1"))
}

// A bank that cannot hold the copies refuses (nothing kept); a commit of
// the upgrade frees them.
func TestKeptStatesReserveAndDrop(t *testing.T) {
	b := keepBank(t, 3)
	put(t, b, "A@1", keepV1{})
	put(t, b, "B@1", keepV1{})
	_, err := ReserveKept(b)
	require.ErrorIs(t, err, pmm.ErrTooManyBlocks)
	require.ErrorContains(t, err, "state B@1 cannot be kept for a rollback: 1 pages: ")
	require.Len(t, b.Blocks(), 2, "nothing kept")

	b = keepBank(t, 8)
	put(t, b, "A@1", keepV1{})
	_, err = ReserveKept(b)
	require.NoError(t, err)
	require.Len(t, b.Blocks(), 2)
	n, err := DropKept(b)
	require.NoError(t, err)
	require.Equal(t, 1, n)
	require.Len(t, b.Blocks(), 1)
}

// A state the trial lost (damaged and quarantined, then started again
// from zero by its service) is not "converted back": the kept value from
// before the upgrade is restored, and no commit count wraps around
// (hostile review of #21).
func TestRollbackRestoresAStateTheTrialLost(t *testing.T) {
	b := keepBank(t, 16)
	put(t, b, "A@1", keepV1{Meters: 1500, Starts: 1})
	blk, _, _ := b.Lookup("A@1")
	s, _, err := LoadBlock[keepV1](blk, "A@1")
	require.NoError(t, err)
	for i := range 5 { // the kept copy is some commits old
		require.NoError(t, s.Commit(keepV1{Meters: 1500, Starts: uint32(2 + i)}))
	}
	_, err = ReserveKept(b)
	require.NoError(t, err)
	FillKept(b)

	// the trial: the block is lost and its service starts it again
	clear(blk)
	fresh, _, err := LoadBlock[keepV2Added](blk, "A@1")
	require.NoError(t, err)
	require.NoError(t, fresh.Commit(keepV2Added{Meters: 0, Starts: 1, Trips: 1}))

	require.Equal(t, []string{"A@1: restored the value from before the upgrade (the trial left the state started again from scratch: 1 commits, the copy had 6)"}, RestoreKept(b))
	require.Equal(t, keepV1{Meters: 1500, Starts: 6}, get[keepV1](t, b, "A@1"))
}
