package actors

import (
	"errors"
	"slices"
	"testing"

	"github.com/stretchr/testify/require"
)

type (
	distV1 struct { // meters
		Meters uint64
		Starts uint32
	}
	distV2 struct { // centimeters: a change of meaning
		Centimeters uint64
		Starts      uint32
	}
	distV3 struct { // v2 with a field added: the rules by name
		Centimeters uint64
		Starts      uint32
		Trips       uint32
	}
	distV4 struct { // Starts split into two
		Centimeters uint64
		Cold, Warm  uint32
	}
)

// An explicit migration converts a change of meaning, chained with the
// next ones and with the rules by name; it runs once (its result is
// committed); its error fails the Load and leaves the block as it was.
func TestExplicitMigrations(t *testing.T) {
	var p Programs
	calls := 0
	require.NoError(t, RegisterMigration(&p, func(o distV1) (distV2, error) {
		calls++
		if o.Meters > 1<<40 {
			return distV2{}, errors.New("implausible distance")
		}
		return distV2{Centimeters: o.Meters * 100, Starts: o.Starts}, nil
	}))
	err := RegisterMigration(&p, func(o distV1) (distV3, error) { return distV3{}, nil })
	require.ErrorIs(t, err, ErrNameTaken, "one migration per old layout")

	size, err := BlockSize[distV1]()
	require.NoError(t, err)
	newBlock := func(v distV1) []byte {
		blk := make([]byte, size)
		s, _, err := LoadBlock[distV1](blk, "D@1")
		require.NoError(t, err)
		require.NoError(t, s.Commit(v))
		return blk
	}

	// v1 → v2 by the function, then v2 → v3 by name
	blk := newBlock(distV1{Meters: 12, Starts: 3})
	s, note, err := LoadBlockWith[distV3](blk, "D@1", &p)
	require.NoError(t, err)
	require.Equal(t, distV3{Centimeters: 1200, Starts: 3}, s.Get())
	require.Regexp(t, `^migrated from layout [0-9a-f]{8}, 12 bytes to actors.distV3 \(layout [0-9a-f]{8}, 16 bytes\) by actors.distV1 → actors.distV2: added Trips$`, note)
	require.Equal(t, 1, calls)
	_, note, err = LoadBlockWith[distV3](blk, "D@1", &p)
	require.NoError(t, err)
	require.Empty(t, note)
	require.Equal(t, 1, calls, "applied once, not at every start")

	// a chain: v1 → v2 → v4, both functions
	require.NoError(t, RegisterMigration(&p, func(o distV2) (distV4, error) {
		return distV4{Centimeters: o.Centimeters, Cold: 1, Warm: o.Starts - 1}, nil
	}))
	blk = newBlock(distV1{Meters: 5, Starts: 4})
	s4, note, err := LoadBlockWith[distV4](blk, "D@1", &p)
	require.NoError(t, err)
	require.Equal(t, distV4{Centimeters: 500, Cold: 1, Warm: 3}, s4.Get())
	require.Contains(t, note, "by actors.distV1 → actors.distV2, actors.distV2 → actors.distV4")

	// the function's error: the Load fails with it, the block is untouched
	blk = newBlock(distV1{Meters: 1 << 41, Starts: 1})
	before := slices.Clone(blk)
	_, _, err = LoadBlockWith[distV2](blk, "D@1", &p)
	require.ErrorIs(t, err, ErrStateMismatch)
	require.ErrorContains(t, err, "the migration from actors.distV1 to actors.distV2: implausible distance")
	require.Equal(t, before, blk)
	old, _, err := LoadBlock[distV1](blk, "D@1")
	require.NoError(t, err)
	require.Equal(t, distV1{Meters: 1 << 41, Starts: 1}, old.Get())

	// without the registration the rules by name would drop Meters, which
	// holds a value, while Centimeters is added: refused, the block untouched
	blk = newBlock(distV1{Meters: 12, Starts: 3})
	before = slices.Clone(blk)
	_, _, err = LoadBlock[distV2](blk, "D@1")
	require.ErrorIs(t, err, ErrStateMismatch)
	require.ErrorContains(t, err, `Meters holds a value and Centimeters is new: a rename needs the tag hr:"was=Meters", a change of meaning a registered migration`)
	require.Equal(t, before, blk)
	// a zero Meters carries nothing: the rules apply
	blk = newBlock(distV1{Starts: 3})
	s2, note, err := LoadBlock[distV2](blk, "D@1")
	require.NoError(t, err)
	require.Equal(t, distV2{Starts: 3}, s2.Get())
	require.Contains(t, note, "dropped Meters; added Centimeters")
}

// A panic in a registered migration is that Load's error: the block is
// untouched and nothing stays locked (hostile review S21-6: it wedged the
// board).
func TestExplicitMigrationPanics(t *testing.T) {
	var p Programs
	require.NoError(t, RegisterMigration(&p, func(o distV1) (distV2, error) {
		var np *distV1
		_ = np.Meters // a nil pointer read, as a bug would
		return distV2{}, nil
	}))
	size, err := BlockSize[distV2]()
	require.NoError(t, err)
	blk := make([]byte, size)
	s, _, err := LoadBlock[distV1](blk, "D@1")
	require.NoError(t, err)
	require.NoError(t, s.Commit(distV1{Meters: 12, Starts: 3}))
	before := slices.Clone(blk)
	_, _, err = LoadBlockWith[distV2](blk, "D@1", &p)
	require.ErrorIs(t, err, ErrStateMismatch)
	require.ErrorContains(t, err, "the migration from actors.distV1 to actors.distV2: panicked: runtime error: invalid memory address or nil pointer dereference")
	require.Equal(t, before, blk)
}
