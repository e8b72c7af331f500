package pmm

import (
	"errors"
	"slices"
	"strings"
	"sync"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func TestGeometryValidate(t *testing.T) {
	for _, g := range []Geometry{
		{0, 1}, {-PageSize, 1}, {PageSize + 1, 1}, {PageSize, 1}, {2 * PageSize, 0},
		{2 * PageSize, MaxMaxBlocks + 1}, {(MaxPages + 1) * PageSize, 1}, {2 * PageSize, 60},
	} {
		assert.ErrorIs(t, g.Validate(), ErrGeometry, "%+v", g)
	}
	for _, g := range []Geometry{{2 * PageSize, 1}, {DefaultSize, DefaultMaxBlocks}, {2 * PageSize, 40}} {
		assert.NoError(t, g.Validate(), "%+v", g)
	}
	g := Geometry{DefaultSize, DefaultMaxBlocks}
	assert.Equal(t, 1, g.MetaPages())
	assert.Equal(t, 255, g.DataPages())
	assert.Equal(t, 74, Geometry{16 << 20, 3000}.MetaPages())
}

func TestOpenArguments(t *testing.T) {
	_, _, err := Open(make([]byte, PageSize), small)
	require.ErrorIs(t, err, ErrGeometry)
	_, _, err = Open(make([]byte, PageSize), Geometry{PageSize, 1})
	require.ErrorIs(t, err, ErrGeometry)
}

func TestAllocateRetrieveWarm(t *testing.T) {
	b, mem := openBlank(t, small)
	m, err := b.Allocate("counter", 10, "app")
	require.NoError(t, err)
	require.Len(t, m, PageSize)
	require.Equal(t, PageSize, cap(m), "slice must be capped at the block")
	require.Equal(t, make([]byte, PageSize), m, "new block reads as zeros")
	copy(m, "hello")

	m2, err := b.Allocate("counter", PageSize, "other-key")
	require.NoError(t, err, "retrieve with equal size")
	require.Same(t, &m[0], &m2[0])
	_, err = b.Allocate("counter", 1, "app")
	require.NoError(t, err, "retrieve with smaller size")
	_, err = b.Allocate("counter", PageSize+1, "app")
	require.ErrorIs(t, err, ErrSizeMismatch)
	require.Equal(t, []BlockInfo{{Name: "counter", Key: "app", Owner: User, FirstPage: 1, Pages: 1}}, b.Blocks(),
		"key ignored on retrieve")

	big, err := b.Allocate("big", 3*PageSize-5, "app")
	require.NoError(t, err)
	require.Len(t, big, 3*PageSize)

	b2, rep, err := Open(mem, small)
	require.NoError(t, err)
	require.True(t, rep.Warm)
	require.Equal(t, "valid, 2 blocks", rep.Reason)
	require.Equal(t, b.Blocks(), b2.Blocks())
	m3, err := b2.Allocate("counter", 1, "app")
	require.NoError(t, err)
	require.Equal(t, "hello", string(m3[:5]))
	require.NoError(t, invariants(b2))
}

func TestArgumentErrors(t *testing.T) {
	b, _ := openBlank(t, small)
	long := strings.Repeat("n", MaxNameLen+1)
	for _, name := range []string{"", "a b", "tab\t", "\x7f", "é", long} {
		_, err := b.Allocate(name, 1, "k")
		assert.ErrorIs(t, err, ErrBadName, "%q", name)
		assert.ErrorIs(t, b.Free(name), ErrBadName)
		assert.ErrorIs(t, b.SysFree(name), ErrBadName)
		_, _, err = b.Lookup(name)
		assert.ErrorIs(t, err, ErrBadName)
	}
	for _, key := range []string{"", "a b", strings.Repeat("k", MaxKeyLen+1)} {
		_, err := b.Allocate("n", 1, key)
		assert.ErrorIs(t, err, ErrBadKey, "%q", key)
		_, err = b.FreeAll(key)
		assert.ErrorIs(t, err, ErrBadKey)
		_, err = b.SysFreeAll(key)
		assert.ErrorIs(t, err, ErrBadKey)
	}
	for _, size := range []int{0, -1} {
		_, err := b.Allocate("n", size, "k")
		assert.ErrorIs(t, err, ErrBadSize)
	}
	_, err := b.AllocateAs(Owner(2), "n", 1, "k")
	assert.ErrorIs(t, err, ErrBadOwner)
	_, err = b.Allocate(strings.Repeat("n", MaxNameLen), 1, strings.Repeat("k", MaxKeyLen))
	assert.NoError(t, err, "maximum lengths")
	assert.ErrorIs(t, b.Free("missing"), ErrNotFound)
	_, _, err = b.Lookup("missing")
	assert.ErrorIs(t, err, ErrNotFound)
	_, err = b.FreeAll("nokey")
	assert.ErrorIs(t, err, ErrNotFound)
	n, err := b.SysFreeAll("nokey")
	assert.NoError(t, err)
	assert.Zero(t, n)
	assert.Equal(t, "user", User.String())
	assert.Equal(t, "system", System.String())
	assert.Equal(t, "owner(9)", Owner(9).String())
}

func TestPrivileges(t *testing.T) {
	const group = ReservedPrefix + "_GROUP_3"
	b, _ := openBlank(t, small)
	_, err := b.Allocate(ReservedPrefix+"img", 1, "k")
	require.ErrorIs(t, err, ErrPrivileged)
	_, err = b.Allocate("data", 1, group)
	require.ErrorIs(t, err, ErrPrivileged)

	_, err = b.AllocateAs(System, ReservedPrefix+"img", 1, group)
	require.NoError(t, err)
	_, err = b.AllocateAs(System, "sysblk", 1, "shared")
	require.NoError(t, err)
	_, err = b.AllocateAs(User, "groupdata", 1, group)
	require.NoError(t, err)
	_, err = b.Allocate("userblk", 1, "shared")
	require.NoError(t, err)

	_, err = b.Allocate("sysblk", 1, "k")
	require.ErrorIs(t, err, ErrPrivileged, "user retrieve of a system block")
	_, err = b.AllocateAs(User, "sysblk", 1, "k")
	require.ErrorIs(t, err, ErrPrivileged)
	_, err = b.AllocateAs(System, "userblk", 1, "k")
	require.NoError(t, err, "system may retrieve a user block")
	require.ErrorIs(t, b.Free("sysblk"), ErrPrivileged)
	require.ErrorIs(t, b.Free(ReservedPrefix+"img"), ErrPrivileged)
	_, err = b.FreeAll(group)
	require.ErrorIs(t, err, ErrPrivileged, "FreeAll on the group key")
	_, err = b.FreeAll("shared")
	require.ErrorIs(t, err, ErrPrivileged, "key tags a system block")
	require.Len(t, b.Blocks(), 4, "refusals free nothing")

	require.NoError(t, b.Free("groupdata"), "group-key user block freed by name")
	n, err := b.SysFreeAll("shared")
	require.NoError(t, err)
	require.Equal(t, 2, n)
	require.NoError(t, b.SysFree(ReservedPrefix+"img"))
	require.Empty(t, b.Blocks())
}

func TestFreeAllAndLimits(t *testing.T) {
	b, _ := openBlank(t, small) // 23 data pages, 6 blocks
	for i, name := range []string{"a", "b", "c", "d", "e"} {
		key := "odd"
		if i%2 == 1 {
			key = "even"
		}
		_, err := b.Allocate(name, 4*PageSize, key)
		require.NoError(t, err)
	}
	_, err := b.Allocate("f", 4*PageSize, "k")
	require.ErrorIs(t, err, ErrNoSpace)
	_, err = b.Allocate("f", 3*PageSize, "k")
	require.NoError(t, err)
	_, err = b.Allocate("g", 1, "k")
	require.ErrorIs(t, err, ErrTooManyBlocks)
	st := b.Stats()
	require.Equal(t, Stats{Pages: 24, UsedPages: 23, FreePages: 0, MetaPages: 1, Blocks: 6, MaxBlocks: 6}, st)

	n, err := b.FreeAll("odd")
	require.NoError(t, err)
	require.Equal(t, 3, n)
	require.Equal(t, 4, b.Stats().LargestFreeRun)
	_, err = b.Allocate("big", 5*PageSize, "k")
	require.ErrorIs(t, err, ErrNoSpace, "12 free pages, but fragmented")
	m, err := b.Allocate("small", 2*PageSize, "k")
	require.NoError(t, err)
	bi := b.Blocks()[0]
	require.Equal(t, BlockInfo{Name: "small", Key: "k", Owner: User, FirstPage: 1, Pages: 2}, bi, "first fit")
	require.Len(t, m, 2*PageSize)
	require.NoError(t, invariants(b))
}

func TestOpenReasons(t *testing.T) {
	b, mem := openBlank(t, small)
	_, err := b.Allocate("x", 1, "k")
	require.NoError(t, err)
	good := append([]byte(nil), mem...)

	reopen := func(mut func(m []byte)) OpenReport {
		m := append([]byte(nil), good...)
		mut(m)
		b, rep, err := Open(m, small)
		require.NoError(t, err)
		require.NoError(t, invariants(b))
		return rep
	}
	// A foreign region, another layout version (its own CRC right), two
	// bits off: cold. One bit off this geometry's header: repaired.
	assert.Equal(t, "bad magic 0x4d50524b", reopen(func(m []byte) { m[0] = 'K' }).Reason)
	assert.Equal(t, "layout version 3 unsupported", reopen(func(m []byte) {
		m[hVersion] = 3
		le.PutUint32(m[hCRC:], crc(m[:hCRC]))
	}).Reason)
	assert.Contains(t, reopen(func(m []byte) { m[hMetaPages]++ }).Reason, "bad header checksum")
	assert.Equal(t, "valid, 1 blocks; header repaired (layout version 3 unsupported, one bit from this geometry's)",
		reopen(func(m []byte) { m[hVersion] = 3 }).Reason)
	assert.Contains(t, reopen(func(m []byte) { m[small.MetaPages()*PageSize-1]++ }).Reason, "valid, 1 blocks",
		"unused metadata tail is ignored")
	// One damaged record is quarantined, the bank stays warm.
	rep := reopen(func(m []byte) { m[layoutOf(small).slotOff(0)+rName]++ })
	assert.True(t, rep.Warm)
	assert.Equal(t, `valid, 0 blocks; 1 damaged records quarantined: slot 0 "y" (pages 1..2 withheld; bad checksum`,
		strings.Split(rep.Reason, " 0x")[0], "the name as read")
	rep = reopen(func(m []byte) { m[layoutOf(small).slotOff(3)+50] = 1 })
	assert.Equal(t, "valid, 1 blocks; 1 damaged records quarantined: slot 3 (name unreadable) (pages unknown, none withheld; free slot not blank)", rep.Reason)

	// A bank written for other tunables: say exactly what differs.
	for _, c := range []struct {
		g    Geometry
		want string
	}{
		{Geometry{2 * small.Size, small.MaxBlocks}, "geometry differs: size 0x18000 in bank, 0x30000 in image"},
		{Geometry{small.Size, 7}, "geometry differs: maxBlocks 6 in bank, 7 in image"},
		{Geometry{2 * small.Size, 7}, "geometry differs: size 0x18000 in bank, 0x30000 in image; maxBlocks 6 in bank, 7 in image"},
	} {
		m := make([]byte, c.g.Size)
		copy(m, good)
		b, rep, err := Open(m, c.g)
		require.NoError(t, err)
		assert.False(t, rep.Warm)
		assert.Equal(t, c.want, rep.Reason)
		assert.Empty(t, b.Blocks())
		_, rep, _ = Open(m, c.g)
		assert.True(t, rep.Warm, "initialised for the new geometry")
	}
}

func TestVerifyAndFormat(t *testing.T) {
	b, mem := openBlank(t, small)
	_, err := b.Allocate("x", 1, "k")
	require.NoError(t, err)
	require.NoError(t, b.Verify())
	mem[layoutOf(small).slotOff(0)+rFirst]++
	err = b.Verify()
	require.ErrorIs(t, err, ErrCorrupt)
	require.Contains(t, err.Error(), "slot 0: bad checksum")
	mem[layoutOf(small).slotOff(5)] = 7
	mem[journalOff] = 1
	err = b.Verify()
	require.Contains(t, err.Error(), "3 problems")

	require.NoError(t, b.Format(), "format repairs stray writes")
	require.Empty(t, b.Blocks())
	require.NoError(t, invariants(b))
	_, rep, err := Open(mem, small)
	require.NoError(t, err)
	require.Equal(t, OpenReport{Warm: true, Reason: "valid, 0 blocks"}, rep)
}

// TestBitFlips flips every bit of the metadata of a populated bank, one at a
// time: a flip in the header is repaired (one bit from this geometry's
// header); a flip in a table record quarantines that record alone (every
// other block kept, its pages withheld from new blocks); the idle journal is
// not state, so flips there open warm with every block.
func TestBitFlips(t *testing.T) {
	b, mem := openBlank(t, small)
	for _, n := range []string{"a", "b", "c"} {
		_, err := b.Allocate(n, 2*PageSize, "k")
		require.NoError(t, err)
	}
	require.NoError(t, b.Free("b")) // leaves a non-trivial idle journal
	want := b.Blocks()
	l := layoutOf(small)
	m := make([]byte, len(mem))
	cold, warm, quar := 0, 0, 0
	for bit := 0; bit < 8*l.metaBytes; bit++ {
		copy(m, mem)
		m[bit/8] ^= 1 << (bit % 8)
		b2, rep, err := Open(m, small)
		require.NoError(t, err)
		require.NoError(t, invariants(b2))
		switch off := bit / 8; {
		case off < journalOff:
			require.True(t, rep.Warm, "bit %d: %s", bit, rep.Reason)
			require.Contains(t, rep.Reason, "header repaired (", "bit %d", bit)
			require.Equal(t, want, b2.Blocks())
			require.Equal(t, mem[:headerSize], m[:headerSize], "bit %d: rewritten", bit)
			cold++
		case off < l.slotsOff:
			require.True(t, rep.Warm, "bit %d: %s", bit, rep.Reason)
			require.Equal(t, want, b2.Blocks())
			warm++
		default:
			require.True(t, rep.Warm, "bit %d: %s", bit, rep.Reason)
			slot := (off - l.slotsOff) / recordSize
			q := b2.Quarantined()
			require.Len(t, q, 1, "bit %d", bit)
			require.Equal(t, slot, q[0].Slot)
			lost := b.slots[slot] // the block the flip damaged, if any
			kept := slices.DeleteFunc(slices.Clone(want), func(bi BlockInfo) bool { return lost.used && bi.Name == lost.name })
			require.Equal(t, kept, b2.Blocks(), "bit %d: only the damaged block is lost", bit)
			if r := off - l.slotOff(slot); lost.used && (r < rFirst || r >= rOwner) {
				// A flip outside the page fields leaves the run withheld,
				// and one outside the name fields the name readable.
				require.Equal(t, [2]int{lost.first, lost.pages}, [2]int{q[0].FirstPage, q[0].Pages}, "bit %d", bit)
				if r < rNameLen || r > rNameLen && r < rName || r >= rKey {
					require.Equal(t, lost.name, q[0].Name, "bit %d", bit)
				}
			}
			// A new block never takes withheld pages.
			if _, err := b2.Allocate("new", 2*PageSize, "k"); err == nil {
				require.NoError(t, invariants(b2))
				_, bi, _ := b2.Lookup("new")
				first := bi.FirstPage
				require.False(t, q[0].Pages > 0 && first < q[0].FirstPage+q[0].Pages && first+2 > q[0].FirstPage,
					"bit %d: new block at %d in withheld %v", bit, first, q[0])
			}
			quar++
		}
	}
	t.Logf("%d bit flips in the header (repaired), %d in records (one quarantined), %d harmless (idle journal)", cold, quar, warm)
}

func TestConcurrent(t *testing.T) {
	g := Geometry{Size: 256 * PageSize, MaxBlocks: 64}
	b, _ := openBlank(t, g)
	var wg sync.WaitGroup
	for w := range 8 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			name := string(rune('a' + w))
			for range 200 {
				m, err := b.Allocate(name, PageSize, "k")
				if err != nil {
					t.Error(err)
					return
				}
				m[0] = byte(w)
				if _, _, err := b.Lookup(name); err != nil {
					t.Error(err)
				}
				_ = b.Stats()
				if err := b.Free(name); err != nil && !errors.Is(err, ErrNotFound) {
					t.Error(err)
				}
			}
		}()
	}
	wg.Wait()
	require.NoError(t, invariants(b))
}

// The header repair never adopts another geometry's bank: every valid
// header of another geometry or layout version, with any one bit flipped,
// still opens cold with this geometry.
func TestHeaderRepairNeverAdoptsAnotherGeometry(t *testing.T) {
	for _, g := range []Geometry{{small.Size, small.MaxBlocks - 1}, {small.Size, small.MaxBlocks + 1},
		{small.Size - PageSize, small.MaxBlocks}, {small.Size * 2, small.MaxBlocks}, {small.Size, 40}} {
		l := layoutOf(g)
		other := encodeHeader(l)
		for bit := -1; bit < 8*headerSize; bit++ {
			m := make([]byte, small.Size)
			copy(m, other)
			if bit >= 0 {
				m[bit/8] ^= 1 << (bit % 8)
			}
			require.GreaterOrEqual(t, bitsApart(m[:headerSize], encodeHeader(layoutOf(small))), 2, "%+v bit %d", g, bit)
			_, rep, err := Open(m, small)
			require.NoError(t, err)
			require.False(t, rep.Warm, "%+v bit %d: %s", g, bit, rep.Reason)
		}
	}
}
