package bootrec

import (
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/hotrestart/tamago-hr/pmm"
	"github.com/hotrestart/tamago-hr/pmm/record"
)

func bank(t *testing.T, mem []byte) *pmm.Bank {
	b, _, err := pmm.Open(mem, pmm.Geometry{Size: len(mem), MaxBlocks: 8})
	require.NoError(t, err)
	return b
}

func TestRoundTripAcrossReopen(t *testing.T) {
	mem := make([]byte, 64*pmm.PageSize)
	s, r, err := Open(bank(t, mem))
	require.ErrorIs(t, err, ErrNoRecord)
	require.ErrorIs(t, err, record.ErrEmpty, "a fresh block: nothing to report")
	assert.Zero(t, r.Boots)

	r.Boots, r.Pending, r.Site, r.Path = 3, true, true, PathHot
	r.Intent = strings.Repeat("x", 300)
	r.ClockMs = 12345
	r.NoteSiteRestart(100)
	r.NoteSiteRestart(200)
	s.Save(r)
	r.Boots = 4
	s.Save(r)

	_, got, err := Open(bank(t, mem))
	require.NoError(t, err)
	assert.EqualValues(t, 4, got.Boots)
	assert.True(t, got.Pending && got.Site && !got.SafeMode)
	assert.Equal(t, PathHot, got.Path)
	assert.Len(t, got.Intent, maxText)
	assert.Equal(t, []uint64{200, 100}, got.Restarts[:2])
	assert.False(t, got.LineCut)

	r.LineCut = true
	s.Save(r)
	_, got, err = Open(bank(t, mem))
	require.NoError(t, err)
	assert.True(t, got.LineCut && got.Pending && got.Site && !got.SafeMode, "LineCut is a flag bit of its own")
	g := got
	g.Begin(Boot{})
	assert.True(t, g.LineCut, "a warm boot's Begin keeps it for the console to read")
}

// A reset in the middle of Save leaves the previous record (pmm/record's
// cut test proves every cut; here: the boot record rides on it).
func TestTornSaveKeepsPrevious(t *testing.T) {
	mem := make([]byte, 64*pmm.PageSize)
	b := bank(t, mem)
	s, r, _ := Open(b)
	r.Boots = 1
	s.Save(r)
	blk, _, err := b.Lookup(BlockName)
	require.NoError(t, err)
	r.Boots = 2
	s.Save(r)
	half := len(blk) / 2
	blk[half+12+2] ^= 0xff // version 2's boots, torn
	_, got, err := Open(b)
	require.NoError(t, err)
	assert.EqualValues(t, 1, got.Boots)
}

// Save runs in a dying runtime (the exit hook): it must not allocate.
func TestSaveDoesNotAllocate(t *testing.T) {
	s, r, _ := Open(bank(t, make([]byte, 64*pmm.PageSize)))
	r.Intent = "fatal runtime error"
	assert.Zero(t, testing.AllocsPerRun(100, func() { r.Boots++; s.Save(r) }))
}

func TestRecentSiteRestarts(t *testing.T) {
	var r Record
	for _, t := range []uint64{1000, 5000, 9000, 9500} {
		r.NoteSiteRestart(t)
	}
	assert.Equal(t, 4, r.RecentSiteRestarts(10000, 10000))
	assert.Equal(t, 2, r.RecentSiteRestarts(10000, 1000))
	assert.Equal(t, 0, r.RecentSiteRestarts(100000, 1000))
	for i := 0; i < 40; i++ {
		r.NoteSiteRestart(uint64(20000 + i))
	}
	assert.Equal(t, History, r.RecentSiteRestarts(20100, 1000))
}

// No trusted record: damaged, or written by an image with the boot
// record's own old format (magic bytes "TBRH", CRC-32 IEEE). Reported with
// the reason, never decoded; the next Save starts afresh.
func TestUntrustedRecordReported(t *testing.T) {
	mem := make([]byte, 64*pmm.PageSize)
	b := bank(t, mem)
	s, r, _ := Open(b)
	r.Boots = 7
	s.Save(r)
	blk, _, _ := b.Lookup(BlockName)
	blk[13] ^= 0xff
	_, _, err := Open(b)
	require.ErrorIs(t, err, ErrNoRecord)
	require.ErrorIs(t, err, record.ErrInvalid)
	assert.EqualError(t, err, "bootrec: no valid record: boot record: no valid copy: copy A: CRC mismatch; copy B: never written")

	clear(blk)
	copy(blk, "TBRH\x01\x00\x00\x00\x01\x00\x00\x00\x05") // the old format's slot 0
	s, got, err := Open(b)
	require.ErrorIs(t, err, ErrNoRecord)
	assert.Contains(t, err.Error(), `copy A: magic "TBRH", want "HRB2"`)
	assert.Zero(t, got.Boots)
	got.Boots = 1
	s.Save(got)
	_, got, err = Open(b)
	require.NoError(t, err)
	assert.EqualValues(t, 1, got.Boots)

	_, err = Decode(make([]byte, 10))
	require.ErrorIs(t, err, record.ErrBlock)
}
