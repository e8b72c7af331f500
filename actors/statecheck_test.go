package actors_test

import (
	"bytes"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/hotrestart/tamago-hr/actors"
	"github.com/hotrestart/tamago-hr/actors/statetest"
)

type odoV1 struct {
	Meters uint64
	Starts uint32
}

type odoV2 struct {
	Meters uint64
	Starts uint32
	Trips  uint32
}

type odoCm struct {
	Centimeters uint64
	Starts      uint32
	Trips       uint32
}

type odoLabel struct {
	Meters [8]byte
	Starts uint32
}

type odoNarrow struct {
	Meters uint8
	Starts uint32
}

func layout[T any](t *testing.T) []byte {
	t.Helper()
	b, err := actors.StateLayout[T]()
	require.NoError(t, err)
	return b
}

// A block of v1 checked against the layouts of later types: what the
// running image does with the new image's manifest before the switch.
func TestCheckBlock(t *testing.T) {
	bank, err := statetest.Bank()
	require.NoError(t, err)
	require.NoError(t, statetest.Write(bank, "ODO@1", odoV1{Meters: 300, Starts: 2}))
	blk, _, err := bank.Lookup("ODO@1")
	require.NoError(t, err)
	before := bytes.Clone(blk)

	require.NoError(t, actors.CheckBlock(blk, layout[odoV1](t), nil))
	require.NoError(t, actors.CheckBlock(blk, layout[odoV2](t), nil), "a field added")
	err = actors.CheckBlock(blk, layout[odoLabel](t), nil)
	require.EqualError(t, err, "field Meters: uint64 → [8]uint8 cannot be migrated")
	err = actors.CheckBlock(blk, layout[odoNarrow](t), nil)
	require.EqualError(t, err, "field Meters: value 300 does not fit uint8 (was uint64)", "the stored value decides a narrowing")
	err = actors.CheckBlock(blk, layout[odoCm](t), nil)
	require.NoError(t, err, "Meters dropped, Centimeters added: the rules take it (with a loss an explicit migration avoids)")

	// an explicit migration's chain is followed by layout: v1 → label is
	// taken when the new image converts v1 itself
	migs := []actors.Migration{{From: layout[odoV1](t), To: layout[odoLabel](t)}}
	require.NoError(t, actors.CheckBlock(blk, layout[odoLabel](t), migs))
	type odoMore struct {
		Meters uint64
		Starts uint32
		Trips  uint32
		More   uint8
	}
	migs = []actors.Migration{{From: layout[odoV1](t), To: layout[odoV2](t)}}
	require.NoError(t, actors.CheckBlock(blk, layout[odoMore](t), migs), "a chain that ends short of the type: the rules go on from its layout")
	// the function's result is unknown: the stored bytes are not read as
	// its new type (here Starts would be 300, which uint8 cannot take)
	type swapped struct {
		Starts uint64
		Meters uint32
	}
	type swappedNarrow struct {
		Starts uint8
		Meters uint32
	}
	migs = []actors.Migration{{From: layout[odoV1](t), To: layout[swapped](t)}}
	require.NoError(t, actors.CheckBlock(blk, layout[swappedNarrow](t), migs))
	assert.Equal(t, before, blk, "a check writes nothing")

	_, err = statetest.Bank()
	require.NoError(t, err)
	empty := make([]byte, len(blk))
	require.NoError(t, actors.CheckBlock(empty, layout[odoLabel](t), nil), "nothing committed: nothing to check")
	require.Error(t, actors.CheckBlock(blk, []byte{0xff}, nil), "a damaged layout in the manifest")
}

// Layout.Encode, which tools/statedecl uses on Go source, gives the bytes
// the Go type's block keeps.
func TestLayoutEncodeMatchesTheType(t *testing.T) {
	type inner struct {
		X int16
		Y [3]float32
	}
	type outer struct {
		A    bool
		In   [2]inner
		Name [4]byte `hr:"was=Label,Tag"`
		C    complex64
	}
	l := &actors.Layout{Kind: "struct", Fields: []actors.LayoutField{
		{Name: "A", Type: &actors.Layout{Kind: "bool"}},
		{Name: "In", Type: &actors.Layout{Kind: "array", Len: 2, Elem: &actors.Layout{Kind: "struct", Fields: []actors.LayoutField{
			{Name: "X", Type: &actors.Layout{Kind: "int16"}},
			{Name: "Y", Type: &actors.Layout{Kind: "array", Len: 3, Elem: &actors.Layout{Kind: "float32"}}},
		}}}},
		{Name: "Name", Was: []string{"Label", "Tag"}, Type: &actors.Layout{Kind: "array", Len: 4, Elem: &actors.Layout{Kind: "uint8"}}},
		{Name: "C", Type: &actors.Layout{Kind: "complex64"}},
	}}
	got, err := l.Encode()
	require.NoError(t, err)
	assert.Equal(t, layout[outer](t), got)
	_, err = (&actors.Layout{Kind: "string"}).Encode()
	require.ErrorIs(t, err, actors.ErrStateType)
}

// state show's output: every field by its path, from the block alone.
func TestShowState(t *testing.T) {
	type pos struct{ X, Y int32 }
	type shown struct {
		Meters uint64
		Ratio  float64
		Where  pos
		Hist   [3]int16
		Label  [8]byte
		_      [2]byte
		On     bool
	}
	bank, err := statetest.Bank()
	require.NoError(t, err)
	v := shown{Meters: 1230, Ratio: 0.5, Where: pos{-3, 4}, Hist: [3]int16{1, -2, 3}, On: true}
	copy(v.Label[:], "odo\x01")
	require.NoError(t, statetest.Write(bank, "S@1", v))
	blk, _, err := bank.Lookup("S@1")
	require.NoError(t, err)
	var out bytes.Buffer
	require.NoError(t, actors.ShowState(&out, blk))
	assert.Equal(t, "Meters = 1230\nRatio = 0.5\nWhere.X = -3\nWhere.Y = 4\nHist = [1 -2 3]\nLabel = \"odo\\x01\" ([8]uint8)\nOn = true\n", out.String())

	raw := make([]byte, len(blk))
	copy(raw, "not a state")
	require.ErrorIs(t, actors.ShowState(&out, raw), actors.ErrStateCorrupt)
}

// More lines than the console takes are cut, and the cut is said.
func TestShowStateBounded(t *testing.T) {
	type big struct{ A [300]struct{ V uint8 } }
	bank, err := statetest.Bank()
	require.NoError(t, err)
	require.NoError(t, statetest.Write(bank, "B@1", big{}))
	blk, _, err := bank.Lookup("B@1")
	require.NoError(t, err)
	var out bytes.Buffer
	require.NoError(t, actors.ShowState(&out, blk))
	lines := bytes.Split(bytes.TrimSuffix(out.Bytes(), []byte("\n")), []byte("\n"))
	assert.Len(t, lines, 201)
	assert.Equal(t, "… 100 more lines", string(lines[200]))
}
