package bootrec

import (
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/hotrestart/tamago-hr/pmm"
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
}

// A reset in the middle of Save leaves the previous record.
func TestTornSaveKeepsPrevious(t *testing.T) {
	mem := make([]byte, 64*pmm.PageSize)
	b := bank(t, mem)
	s, r, _ := Open(b)
	r.Boots = 1
	s.Save(r)
	blk, _, err := b.Lookup(BlockName)
	require.NoError(t, err)
	for cut := 0; cut < offCRC+4; cut++ {
		snapshot := append([]byte(nil), blk...)
		r.Boots = 2
		s.Save(r)
		// undo the tail of the write to simulate a reset after cut bytes
		slot := int(s.seq%2) * slotSize
		copy(blk[slot+cut:slot+offCRC+4], snapshot[slot+cut:slot+offCRC+4])
		_, got, err := Open(b)
		require.NoError(t, err)
		if cut < offCRC+4 {
			assert.Contains(t, []uint32{1, 2}, got.Boots)
		}
		copy(blk, snapshot)
		s.seq--
	}
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

func TestCorruptSlotIgnored(t *testing.T) {
	mem := make([]byte, 64*pmm.PageSize)
	b := bank(t, mem)
	s, r, _ := Open(b)
	r.Boots = 7
	s.Save(r)
	blk, _, _ := b.Lookup(BlockName)
	blk[int(s.seq%2)*slotSize+13] ^= 0xff
	_, _, err := Open(b)
	require.ErrorIs(t, err, ErrNoRecord)
}
