package pmm

import (
	"bytes"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// These tests pin rules that a corrupt-but-checksummed bank could otherwise
// slip past: the records are built by hand with valid CRCs, so only the
// semantic checks of Open stand between them and a warm open.

// handBank returns a blank, initialised bank of geometry small with the given
// slots written straight into its table (valid record CRCs).
func handBank(t *testing.T, slots map[int]slot) []byte {
	t.Helper()
	_, mem := openBlank(t, small)
	l := layoutOf(small)
	for i, s := range slots {
		s.used = true
		copy(mem[l.slotOff(i):], encodeRecord(&s))
	}
	return mem
}

func openCold(t *testing.T, mem []byte) OpenReport {
	t.Helper()
	b, rep, err := Open(mem, small)
	require.NoError(t, err)
	require.NoError(t, invariants(b))
	require.False(t, rep.Warm, "opened warm: %s", rep.Reason)
	require.Empty(t, b.Blocks(), "a cold bank keeps no block")
	return rep
}

func TestOpenRejectsInconsistentTables(t *testing.T) {
	// The same slots without the fault open warm: the fault alone is refused.
	ok := handBank(t, map[int]slot{0: {first: 1, pages: 2, name: "a", key: "k"}, 3: {first: 3, pages: 1, name: "b", key: "k"}})
	_, rep, err := Open(ok, small)
	require.NoError(t, err)
	require.Equal(t, OpenReport{Warm: true, Reason: "valid, 2 blocks"}, rep)

	rep = openCold(t, handBank(t, map[int]slot{0: {first: 1, pages: 2, name: "a", key: "k"}, 3: {first: 5, pages: 1, name: "a", key: "k"}}))
	assert.Equal(t, `slot 0: name "a" already in slot 3`, rep.Reason)

	rep = openCold(t, handBank(t, map[int]slot{0: {first: 1, pages: 3, name: "a", key: "k"}, 3: {first: 3, pages: 1, name: "b", key: "k"}}))
	assert.Equal(t, `slot 3 ("b", pages 3..4) overlaps slot 0 ("a", pages 1..4)`, rep.Reason)

	// A record whose run leaves the data area is one damaged record: it is
	// quarantined, its run (clipped to the data area) withheld.
	b, rep, err := Open(handBank(t, map[int]slot{2: {first: 0, pages: 1, name: "meta", key: "k"}}), small)
	require.NoError(t, err)
	require.NoError(t, invariants(b))
	assert.Equal(t, `valid, 0 blocks; 1 damaged records quarantined: slot 2 "meta" (pages unknown, none withheld; pages 0..1 outside data pages 1..24)`, rep.Reason)

	b, rep, err = Open(handBank(t, map[int]slot{2: {first: 23, pages: 2, name: "tail", key: "k"}}), small)
	require.NoError(t, err)
	require.NoError(t, invariants(b))
	assert.Equal(t, `valid, 0 blocks; 1 damaged records quarantined: slot 2 "tail" (pages 23..24 withheld; pages 23..25 outside data pages 1..24)`, rep.Reason)
	assert.Equal(t, 1, b.Stats().LostPages)
}

// A committed journal is redone at Open only when its own checksum holds; one
// whose body was damaged after the commit must not be applied.
func TestOpenRejectsCommittedJournalWithBadChecksum(t *testing.T) {
	mem := handBank(t, nil)
	s := slot{used: true, first: 1, pages: 1, name: "j", key: "k"}
	op := &jop{kind: opAlloc, slots: []int{4}, rec: encodeRecord(&s)}
	j := op.encode()
	copy(mem[journalOff+jCRC:], j[jCRC:])
	le.PutUint32(mem[journalOff+jState:], jCommitted)

	good := append([]byte(nil), mem...)
	b, rep, err := Open(good, small)
	require.NoError(t, err)
	require.Equal(t, OpenReport{Warm: true, Reason: "valid, 1 blocks; completed interrupted allocate (slot 4)"}, rep)
	require.Equal(t, []BlockInfo{{Name: "j", Key: "k", Owner: User, FirstPage: 1, Pages: 1}}, b.Blocks())

	// The body stays a valid record (its own CRC is right) but the journal's
	// checksum no longer covers it.
	bad := append([]byte(nil), mem...)
	le.PutUint32(bad[journalOff+jCRC:], le.Uint32(bad[journalOff+jCRC:])^1)
	rep = openCold(t, bad)
	assert.Contains(t, rep.Reason, "interrupted operation's journal corrupt: bad checksum")

	// A free of slot 0 with a wrong checksum must not free the block.
	mem = handBank(t, map[int]slot{0: {first: 1, pages: 1, name: "keep", key: "k"}})
	fr := (&jop{kind: opFree, slots: []int{0}}).encode()
	le.PutUint32(fr[jCRC:], le.Uint32(fr[jCRC:])+1)
	copy(mem[journalOff+jCRC:], fr[jCRC:])
	le.PutUint32(mem[journalOff+jState:], jCommitted)
	rep = openCold(t, mem)
	assert.Contains(t, rep.Reason, "journal corrupt: bad checksum")
}

// A block made on pages a freed block used reads as zeros, whatever the old
// block held.
func TestRecycledPagesReadZero(t *testing.T) {
	b, _ := openBlank(t, small)
	old, err := b.Allocate("old", 3*PageSize, "k")
	require.NoError(t, err)
	copy(old, pattern("old", len(old)))
	require.NoError(t, b.Free("old"))
	m, err := b.Allocate("new", 2*PageSize, "k")
	require.NoError(t, err)
	require.Same(t, &old[0], &m[0], "first fit reuses the freed pages")
	require.Equal(t, 2*PageSize, bytes.Count(m, []byte{0}), "every byte of the new block is zero")
}

// First fit takes a gap of exactly the size asked for.
func TestFirstFitTakesAnExactGap(t *testing.T) {
	b, _ := openBlank(t, small)
	for _, n := range []string{"a", "gap", "c"} {
		_, err := b.Allocate(n, 2*PageSize, "k")
		require.NoError(t, err)
	}
	require.NoError(t, b.Free("gap"))
	_, err := b.Allocate("fits", 2*PageSize, "k")
	require.NoError(t, err)
	_, info, err := b.Lookup("fits")
	require.NoError(t, err)
	assert.Equal(t, BlockInfo{Name: "fits", Key: "k", Owner: User, FirstPage: 3, Pages: 2}, info)

	// Full bank but for one exact gap: still allocatable.
	b, _ = openBlank(t, small) // 23 data pages
	_, err = b.Allocate("x", 10*PageSize, "k")
	require.NoError(t, err)
	_, err = b.Allocate("y", 13*PageSize, "k")
	require.NoError(t, err)
	require.NoError(t, b.Free("x"))
	_, err = b.Allocate("z", 10*PageSize, "k")
	require.NoError(t, err, "a 10-page gap takes a 10-page block")
	_, err = b.Allocate("w", 1, "k")
	require.ErrorIs(t, err, ErrNoSpace)
}

// A user may not free a block by a reserved name or key, even a User block
// the system created under one (the refusal must not depend on the owner).
func TestUserCannotFreeReservedNamesOrKeys(t *testing.T) {
	const key = ReservedPrefix + ".hr.g3"
	b, _ := openBlank(t, small)
	_, err := b.AllocateAs(User, ReservedPrefix+".data", 1, "plain")
	require.NoError(t, err)
	_, err = b.AllocateAs(User, "groupdata", 1, key)
	require.NoError(t, err)

	require.ErrorIs(t, b.Free(ReservedPrefix+".data"), ErrPrivileged)
	_, err = b.FreeAll(key)
	require.ErrorIs(t, err, ErrPrivileged)
	require.Len(t, b.Blocks(), 2, "refusals free nothing")

	require.NoError(t, b.Free("groupdata"), "a user block with the group key, by its own name")
	require.NoError(t, b.SysFree(ReservedPrefix+".data"))
	require.Empty(t, b.Blocks())
}
