package upgrade

import (
	"encoding/binary"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

const stageBase = 0x9c000000

// newStage is a staging area holding junk, as DRAM does at power-on.
func newStage(size int) Stage {
	mem := make([]byte, size)
	for i := range mem {
		mem[i] = 0xa5
	}
	return Stage{Mem: mem, Base: stageBase}
}

// runRoutine does what the board's copy routine does with a descriptor, in
// a memory that starts at address base.
func runRoutine(t *testing.T, st Stage, desc uint32, mem []byte, base uint32) (entry uint32) {
	le := binary.LittleEndian
	d := st.Mem[desc-st.Base:]
	n := le.Uint32(d[4:])
	for i := range n {
		s := d[8+16*i:]
		dst, src, filesz, memsz := le.Uint32(s), le.Uint32(s[4:]), le.Uint32(s[8:]), le.Uint32(s[12:])
		require.Zero(t, filesz%4)
		require.Zero(t, memsz%4)
		copy(mem[dst-base:], st.Mem[src-st.Base:src-st.Base+filesz])
		clear(mem[dst-base+filesz : dst-base+memsz])
	}
	return le.Uint32(d)
}

func TestStagePutLoadRoundTrip(t *testing.T) {
	st := newStage(64 << 10)
	segs := []Segment{
		{Addr: 0x80010000, Data: []byte("text!"), MemSize: 5},
		{Addr: 0x80010100, Data: []byte("data"), MemSize: 16},
	}
	require.NoError(t, st.Put(SlotPrev, "v1.2-3-gabc", 0x80010004, segs))
	v, desc, err := st.Load(SlotPrev)
	require.NoError(t, err)
	assert.Equal(t, "v1.2-3-gabc", v)
	assert.Equal(t, uint32(stageBase+codeSize+dirSize+descOff), desc)
	_, _, err = st.Load(SlotNew)
	require.ErrorIs(t, err, ErrNoSlot)

	mem := make([]byte, 0x200)
	for i := range mem {
		mem[i] = 0xee
	}
	entry := runRoutine(t, st, desc, mem, 0x80010000)
	assert.Equal(t, uint32(0x80010004), entry)
	assert.Equal(t, []byte("text!\x00\x00\x00\xee"), mem[:9], "filesz padded to a word with zeroes")
	assert.Equal(t, append([]byte("data"), make([]byte, 12)...), mem[0x100:0x110], "BSS zeroed up to memsz")
	assert.Equal(t, byte(0xee), mem[0x110])
}

func TestStageLoadRefusesDamage(t *testing.T) {
	st := newStage(64 << 10)
	require.NoError(t, st.Put(SlotNew, "v2", 0x80010000, []Segment{{Addr: 0x80010000, Data: []byte("abcdefgh"), MemSize: 8}}))
	st.Mem[dataOff+3] ^= 1 // one bit of the staged image
	_, _, err := st.Load(SlotNew)
	require.ErrorIs(t, err, ErrNoSlot)
	assert.ErrorContains(t, err, "checksum")

	st.Mem[dataOff+3] ^= 1
	binary.LittleEndian.PutUint32(st.Mem[codeSize+descOff+8+4:], stageBase) // src outside the slot
	_, _, err = st.Load(SlotNew)
	assert.ErrorContains(t, err, "damaged directory")
}

func TestStagePutRefusesWhatDoesNotFit(t *testing.T) {
	st := newStage(dataOff + 2*64)
	err := st.Put(SlotNew, "v2", 0, []Segment{{Addr: 0x80010000, Data: make([]byte, 65), MemSize: 65}})
	require.ErrorIs(t, err, ErrLayout)
	assert.ErrorContains(t, err, "a staging slot holds 64")
	require.NoError(t, st.Put(SlotNew, "v2", 0, []Segment{{Addr: 0x80010000, Data: make([]byte, 64), MemSize: 64}}))
	assert.Error(t, st.Put(SlotNew, string(make([]byte, maxVersion+1)), 0, nil))
	assert.Error(t, st.Put(SlotNew, "v", 0, make([]Segment, maxSegs+1)))
	code, err := st.PutCode(make([]byte, codeSize+1))
	assert.Error(t, err)
	assert.Zero(t, code)
}

func TestStateMarshalRoundTrip(t *testing.T) {
	s := State{Phase: RolledBack, From: "v1", To: "v2-dirty", StartMs: 1 << 40, Restarts: 3, Why: "crash loop during the trial"}
	got, err := UnmarshalState(s.Marshal())
	require.NoError(t, err)
	assert.Equal(t, s, got)
	_, err = UnmarshalState(s.Marshal()[1:])
	assert.Error(t, err)
	bad := s.Marshal()
	bad[0] = byte(Reloaded) + 1
	_, err = UnmarshalState(bad)
	assert.Error(t, err)
}

func TestStageStampTakenOnce(t *testing.T) {
	st := newStage(64 << 10)
	_, ok := st.TakeStamp()
	assert.False(t, ok)
	st.Stamp(123456789012)
	require.NoError(t, st.Put(SlotNew, "v2", 0, nil), "the stamp is outside the directories")
	ns, ok := st.TakeStamp()
	assert.True(t, ok)
	assert.Equal(t, int64(123456789012), ns)
	_, ok = st.TakeStamp()
	assert.False(t, ok, "a later boot finds no stamp")
}
