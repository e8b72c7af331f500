package actors

import (
	"slices"
	"testing"

	"github.com/stretchr/testify/require"
)

// migrateOnce commits a as state of type A in a new block sized for A and
// loads the block as B: what Load does across an upgrade.
func migrateOnce[A, B any](t *testing.T, a A) (B, string, error) {
	t.Helper()
	size, err := BlockSize[A]()
	require.NoError(t, err)
	blk := make([]byte, size)
	s, _, err := LoadBlock[A](blk, "M@1")
	require.NoError(t, err)
	require.NoError(t, s.Commit(a))
	var zero B
	got, note, err := LoadBlock[B](blk, "M@1")
	if err != nil {
		return zero, "", err
	}
	// the migrated value was committed: the next load is the same, silent
	again, note2, err := LoadBlock[B](blk, "M@1")
	require.NoError(t, err)
	require.Empty(t, note2, "a migration is logged once")
	require.Equal(t, got.Get(), again.Get())
	return got.Get(), note, nil
}

// migrates checks a → b with the note (added/dropped list), or the error.
func migrates[A, B any](t *testing.T, a A, want B, note, err string) {
	t.Helper()
	got, n, e := migrateOnce[A, B](t, a)
	if err != "" {
		require.ErrorIs(t, e, ErrStateMismatch)
		require.ErrorContains(t, e, err)
		return
	}
	require.NoError(t, e)
	require.Equal(t, want, got)
	require.Regexp(t, `^migrated from layout [0-9a-f]{8}, \d+ bytes to .+ \(layout [0-9a-f]{8}, \d+ bytes\)`, n)
	if note == "" {
		require.NotContains(t, n, "): ")
	} else {
		require.Contains(t, n, "): "+note)
	}
}

type (
	addA struct{ X uint32 }
	addB struct {
		X uint32
		Y uint16
	}
	renA struct{ Old uint32 }
	renB struct {
		New uint32 `hr:"was=Old"`
	}
	wideA struct{ X int16 }
	wideB struct{ X int64 }
	uA    struct{ N uint32 }
	uB    struct{ N uint8 }
	sA    struct{ N int8 }
	sB    struct{ N uint64 }
	ordA  struct {
		X uint8
		Y int32
	}
	ordB struct {
		Y int32
		X uint8
	}
	inA struct{ P, Q uint8 }
	inB struct {
		Q bool
		R uint16
		P uint32
	}
	nestA struct {
		ID uint16
		In inA
	}
	nestB struct {
		In inB
		ID uint16
	}
	arrLong  struct{ V [4]int32 }
	arrShort struct{ V [2]int32 }
	boolA    struct{ On bool }
	boolB    struct {
		On bool
		X  uint8
	}
	boolInt struct{ On uint8 }
	f32     struct{ F float32 }
	f64     struct{ F float64 }
	i64     struct{ F int64 }
	name8   struct{ Name [8]byte }
	name16  struct{ Name [16]byte }
	elemA   struct{ A uint8 }
	elemB   struct {
		A uint16
		B bool
	}
	recsA struct{ R [2]elemA }
	recsB struct{ R [3]elemB }
	cplxA struct{ C complex64 }
	cplxB struct{ C complex128 }
)

// TestMigrationRules is the table of the rules in the package
// documentation, each change in both directions.
func TestMigrationRules(t *testing.T) {
	t.Run("add", func(t *testing.T) {
		migrates(t, addA{X: 7}, addB{X: 7}, "added Y", "")
		migrates(t, addB{X: 7, Y: 9}, addA{X: 7}, "dropped Y", "")
	})
	t.Run("rename by tag", func(t *testing.T) {
		migrates(t, renA{Old: 5}, renB{New: 5}, "renamed Old → New", "")
		migrates(t, renB{New: 6}, renA{Old: 6}, "renamed New → Old", "") // the writer's tag read back
	})
	t.Run("widen and narrow", func(t *testing.T) {
		migrates(t, wideA{X: -5}, wideB{X: -5}, "", "")
		migrates(t, wideB{X: -32768}, wideA{X: -32768}, "", "")
		migrates(t, wideB{X: 40000}, wideA{}, "", "X: value 40000 does not fit int16 (was int64)")
		migrates(t, wideB{X: -32769}, wideA{}, "", "X: value -32769 does not fit int16 (was int64)")
		migrates(t, uB{N: 255}, uA{N: 255}, "", "")
		migrates(t, uA{N: 255}, uB{N: 255}, "", "")
		migrates(t, uA{N: 300}, uB{}, "", "N: value 300 does not fit uint8 (was uint32)")
	})
	t.Run("sign", func(t *testing.T) {
		migrates(t, sA{N: 5}, sB{N: 5}, "", "")
		migrates(t, sA{N: -1}, sB{}, "", "N: value -1 does not fit uint64 (was int8)")
		migrates(t, sB{N: 127}, sA{N: 127}, "", "")
		migrates(t, sB{N: 128}, sA{}, "", "N: value 128 does not fit int8 (was uint64)")
		migrates(t, sB{N: 1 << 63}, sA{}, "", "N: value 9223372036854775808 does not fit int8 (was uint64)")
	})
	t.Run("reorder", func(t *testing.T) {
		migrates(t, ordA{X: 1, Y: -2}, ordB{X: 1, Y: -2}, "", "")
		migrates(t, ordB{X: 3, Y: 4}, ordA{X: 3, Y: 4}, "", "")
	})
	t.Run("nested struct", func(t *testing.T) {
		migrates(t, nestA{ID: 9, In: inA{P: 200, Q: 1}}, nestB{}, "", "In.Q: uint8 → bool cannot be migrated")
		migrates(t, nestB{ID: 9, In: inB{Q: true, R: 2, P: 200}}, nestA{}, "", "In.Q: bool → uint8 cannot be migrated")
		migrates(t, nestA{ID: 9, In: inA{P: 200}}, struct {
			In struct{ P uint32 }
			ID uint16
		}{In: struct{ P uint32 }{P: 200}, ID: 9}, "dropped In.Q", "")
	})
	t.Run("array longer and shorter", func(t *testing.T) {
		migrates(t, arrLong{V: [4]int32{1, -2, 3, 4}}, arrShort{V: [2]int32{1, -2}}, "dropped V[2:4]", "")
		migrates(t, arrShort{V: [2]int32{1, -2}}, arrLong{V: [4]int32{1, -2}}, "", "")
		migrates(t, recsA{R: [2]elemA{{1}, {2}}}, recsB{R: [3]elemB{{A: 1}, {A: 2}}}, "added R[0].B", "")
		migrates(t, recsB{R: [3]elemB{{A: 1, B: true}, {A: 300}}}, recsA{}, "", "R[1].A: value 300 does not fit uint8 (was uint16)")
		migrates(t, recsB{R: [3]elemB{{A: 1, B: true}, {A: 3}, {A: 4}}}, recsA{R: [2]elemA{{1}, {3}}}, "dropped R[0].B, R[2:3]", "")
	})
	t.Run("bool", func(t *testing.T) {
		migrates(t, boolA{On: true}, boolB{On: true}, "added X", "")
		migrates(t, boolB{On: true, X: 1}, boolA{On: true}, "dropped X", "")
		migrates(t, boolA{On: true}, boolInt{}, "", "On: bool → uint8 cannot be migrated")
		migrates(t, boolInt{On: 1}, boolA{}, "", "On: uint8 → bool cannot be migrated")
	})
	t.Run("float", func(t *testing.T) {
		migrates(t, f32{F: 1.5}, f64{F: 1.5}, "", "")
		migrates(t, f64{F: 1.5}, f32{F: 1.5}, "", "")
		migrates(t, f64{F: 0.1}, f32{}, "", "F: value 0.1 does not fit float32 (was float64)")
		migrates(t, f64{F: 1}, i64{}, "", "F: float64 → int64 cannot be migrated")
		migrates(t, i64{F: 1}, f64{}, "", "F: int64 → float64 cannot be migrated")
		migrates(t, cplxA{C: 1 + 2i}, cplxB{C: 1 + 2i}, "", "")
		migrates(t, cplxB{C: 1 + 2i}, cplxA{C: 1 + 2i}, "", "")
		migrates(t, cplxB{C: 1 + 0.1i}, cplxA{}, "", "C (imaginary part): value 0.1 does not fit float32")
	})
	t.Run("bytes", func(t *testing.T) {
		var a name8
		copy(a.Name[:], "odometer")
		var b name16
		copy(b.Name[:], "odometer")
		migrates(t, a, b, "", "")
		migrates(t, b, a, "dropped Name[8:16]", "")
	})
	t.Run("kind of the whole value", func(t *testing.T) {
		migrates(t, uint32(7), uint64(7), "", "")
		migrates(t, addA{X: 1}, uint32(0), "", "the value: struct{X uint32} → uint32 cannot be migrated")
		migrates(t, [2]uint8{1, 2}, addA{}, "", "the value: [2]uint8 → struct{X uint32} cannot be migrated")
	})
}

// bigA and bigB are a 2 KiB state and its next version: 64 records of 32
// bytes, each with a field widened, one renamed and one added.
type (
	recA struct {
		ID    uint32
		Temp  int16
		Flags uint16
		Name  [16]byte
		Sum   uint64
	}
	recB struct {
		ID    uint64
		Temp  int32
		Bits  uint16 `hr:"was=Flags"`
		Name  [16]byte
		Sum   uint64
		Trips uint32
	}
	bigA struct{ R [64]recA }
	bigB struct{ R [64]recB }
)

// BenchmarkMigrate2KiB migrates a 2 KiB state (64 × 5 fields) to its next
// version and commits it: what an upgrade adds to a service's first Load.
func BenchmarkMigrate2KiB(b *testing.B) {
	benchMigrate[bigA, bigB](b, 64*5)
}

// BenchmarkMigrateFlat migrates a struct of 5 scalar fields, one added.
func BenchmarkMigrateFlat(b *testing.B) {
	benchMigrate[recA, recB](b, 5)
}

func benchMigrate[A, B any](b *testing.B, fields int) {
	size, err := BlockSize[B]()
	require.NoError(b, err)
	blk := make([]byte, size)
	s, _, err := LoadBlock[A](blk, "B@1")
	require.NoError(b, err)
	var a A
	require.NoError(b, s.Commit(a))
	img := slices.Clone(blk)
	b.ReportAllocs()
	for b.Loop() {
		copy(blk, img)
		if _, _, err := LoadBlock[B](blk, "B@1"); err != nil {
			b.Fatal(err)
		}
	}
	b.ReportMetric(float64(b.Elapsed().Nanoseconds())/float64(b.N)/float64(fields), "ns/field")
}

// BenchmarkLoadUnchanged is the same Load with no migration, for comparison.
func BenchmarkLoadUnchanged(b *testing.B) {
	size, err := BlockSize[bigB]()
	require.NoError(b, err)
	blk := make([]byte, size)
	s, _, err := LoadBlock[bigB](blk, "B@1")
	require.NoError(b, err)
	require.NoError(b, s.Commit(bigB{}))
	b.ReportAllocs()
	for b.Loop() {
		if _, _, err := LoadBlock[bigB](blk, "B@1"); err != nil {
			b.Fatal(err)
		}
	}
}

// Arrays of empty elements carry nothing and take no time, however long
// (a stored layout may describe any).
func TestMigrateEmptyElements(t *testing.T) {
	empty := &tdesc{kind: kStruct}
	emptyArr := &tdesc{kind: kStruct, fields: []tfield{{name: "A", t: &tdesc{kind: kArray, elem: &tdesc{kind: kUint8, size: 1}}}}}
	big := func(e *tdesc) *tdesc {
		inner := &tdesc{kind: kArray, n: 65000, elem: e}
		return &tdesc{kind: kArray, n: 65000, elem: inner}
	}
	m, err := migrateValue(nil, big(emptyArr), nil, big(empty))
	require.NoError(t, err)
	require.Equal(t, "added [0][0].A", m.note())
}

// A field that holds a value, dropped while another is added, is a rename
// without its tag or a change of meaning: refused, naming both, at any
// depth, so the new type never starts from zero (hostile review S21-1/2:
// v3's Centimeters read by v1 after a downgrade or a reset). A zero value
// carries nothing, and a drop with nothing added (a version that only
// added a field, going back) is taken.
func TestMigrateRefusesALostValue(t *testing.T) {
	type cm struct {
		Centimeters uint64
		Starts      uint32
	}
	type m struct {
		Meters uint64
		Starts uint32
	}
	migrates(t, cm{Centimeters: 1032000, Starts: 2}, m{}, "",
		`Centimeters holds a value and Meters is new: a rename needs the tag hr:"was=Centimeters", a change of meaning a registered migration (dropping it would lose the value)`)
	migrates(t, cm{Starts: 2}, m{Starts: 2}, "dropped Centimeters; added Meters", "")
	type nestA struct{ In struct{ A, B uint8 } }
	type nestB struct{ In struct{ A, C uint8 } }
	migrates(t, nestA{In: struct{ A, B uint8 }{1, 2}}, nestB{}, "", "In.B holds a value and C is new")
	migrates(t, addB{X: 1, Y: 5}, addA{X: 1}, "dropped Y", "")
}
