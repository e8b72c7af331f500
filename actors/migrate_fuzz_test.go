package actors

import (
	"math"
	"math/big"
	"testing"

	"github.com/stretchr/testify/require"
)

// genReader draws a layout and values from fuzz bytes (zeros once they
// run out).
type genReader struct{ p []byte }

func (g *genReader) byte() byte {
	if len(g.p) == 0 {
		return 0
	}
	b := g.p[0]
	g.p = g.p[1:]
	return b
}

// desc draws a layout: scalars, arrays of up to 3, structs of up to 4
// fields named from a small set (so two layouts share names), 3 deep.
func (g *genReader) desc(depth int) *tdesc {
	k := dkind(g.byte()%15 + 1)
	if depth >= 3 && k >= kArray {
		k = kUint16
	}
	switch k {
	case kArray:
		n := int(g.byte() % 4)
		e := g.desc(depth + 1)
		return &tdesc{kind: kArray, n: n, elem: e, size: n * e.size}
	case kStruct:
		d := &tdesc{kind: kStruct}
		used := g.byte()
		for i, name := range []string{"A", "B", "C", "D"} {
			if used>>i&1 == 0 {
				continue
			}
			t := g.desc(depth + 1)
			d.fields = append(d.fields, tfield{name: name, off: d.size, t: t})
			d.size += t.size
		}
		return d
	}
	return &tdesc{kind: k, size: kindSizes[k]}
}

// FuzzMigrate migrates a random value between two random layouts and
// checks the outcome against an oracle written apart from the migration
// (numbers as big integers and float64, fields matched by name): it
// succeeds exactly when the oracle says every value can be carried, and
// then every field holds its old value or zero; it never panics, and a
// kind is never read as another.
func FuzzMigrate(f *testing.F) {
	f.Add([]byte{14, 0b0011, 3, 4, 14, 0b0110, 3, 8, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10})
	f.Add([]byte{13, 2, 4, 14, 3, 1, 1, 4, 2, 0xff, 0xff})
	f.Add([]byte{14, 0b1111, 0, 1, 2, 3, 14, 0b1111, 3, 2, 1, 0, 200, 100, 50, 25})
	f.Fuzz(func(t *testing.T, data []byte) {
		g := &genReader{p: data}
		from, to := g.desc(0), g.desc(0)
		// through the stored form, as Load reads it
		var err error
		from, err = parseDesc(from.encode(nil))
		require.NoError(t, err)
		src := make([]byte, from.size)
		for i := range src {
			src[i] = g.byte()
		}
		dst := make([]byte, to.size)
		_, merr := migrateValue(dst, to, src, from)
		ok := oracleOK(to, from, src)
		if merr != nil {
			require.False(t, ok, "refused, but every value can be carried: %v", merr)
			return
		}
		require.True(t, ok, "carried %s into %s, which the oracle refuses", from, to)
		oracleCheck(t, dst, to, src, from, "")
	})
}

func byName(d *tdesc, name string) *tfield {
	for i := range d.fields {
		if d.fields[i].name == name {
			return &d.fields[i]
		}
	}
	return nil
}

func isInt(k dkind) bool { return k >= kInt8 && k <= kUint64 }
func isFloat(k dkind) bool {
	return k == kFloat32 || k == kFloat64 || k == kComplex64 || k == kComplex128
}

// intValue reads an integer of kind k as a big.Int.
func intValue(b []byte, k dkind) *big.Int {
	var u uint64
	for i := kindSizes[k] - 1; i >= 0; i-- {
		u = u<<8 | uint64(b[i])
	}
	v := new(big.Int).SetUint64(u)
	if isSigned(k) && b[kindSizes[k]-1]&0x80 != 0 {
		v.Sub(v, new(big.Int).Lsh(big.NewInt(1), uint(8*kindSizes[k])))
	}
	return v
}

func intRange(k dkind) (lo, hi *big.Int) {
	bits := uint(8 * kindSizes[k])
	one := big.NewInt(1)
	if isSigned(k) {
		return new(big.Int).Neg(new(big.Int).Lsh(one, bits-1)), new(big.Int).Sub(new(big.Int).Lsh(one, bits-1), one)
	}
	return big.NewInt(0), new(big.Int).Sub(new(big.Int).Lsh(one, bits), one)
}

// floats reads the float parts (one, or two for complex) as float64.
func floats(b []byte, k dkind) []float64 {
	var out []float64
	w := 8
	if k == kFloat32 || k == kComplex64 {
		w = 4
	}
	for i := 0; i+w <= kindSizes[k]; i += w {
		if w == 4 {
			out = append(out, float64(math.Float32frombits(le.Uint32(b[i:]))))
		} else {
			out = append(out, math.Float64frombits(le.Uint64(b[i:])))
		}
	}
	return out
}

func narrowFloat(k dkind) bool { return k == kFloat32 || k == kComplex64 }

// oracleOK says whether src (layout from) can be carried into layout to.
func oracleOK(to, from *tdesc, src []byte) bool {
	switch {
	case to.kind == kStruct && from.kind == kStruct:
		added := false
		for _, f := range to.fields {
			of := byName(from, f.name)
			if of != nil && !oracleOK(f.t, of.t, src[of.off:of.off+of.t.size]) {
				return false
			}
			added = added || of == nil
		}
		for _, of := range from.fields { // a value dropped while a field is added: refused
			if added && byName(to, of.name) == nil && !allZero(src[of.off:of.off+of.t.size]) {
				return false
			}
		}
		return true
	case to.kind == kArray && from.kind == kArray:
		for i := range min(to.n, from.n) {
			if !oracleOK(to.elem, from.elem, src[i*from.elem.size:][:from.elem.size]) {
				return false
			}
		}
		return true
	case to.kind == kBool && from.kind == kBool:
		return true
	case isInt(to.kind) && isInt(from.kind):
		v := intValue(src, from.kind)
		lo, hi := intRange(to.kind)
		return v.Cmp(lo) >= 0 && v.Cmp(hi) <= 0
	case (to.kind == kFloat32 || to.kind == kFloat64) != (from.kind == kFloat32 || from.kind == kFloat64):
		return false
	case isFloat(to.kind) && isFloat(from.kind):
		for _, v := range floats(src, from.kind) {
			if narrowFloat(to.kind) && !math.IsNaN(v) && float64(float32(v)) != v {
				return false
			}
		}
		return true
	}
	return false
}

// oracleCheck requires dst to hold src's values where names match, zero
// elsewhere.
func oracleCheck(t *testing.T, dst []byte, to *tdesc, src []byte, from *tdesc, path string) {
	switch to.kind {
	case kStruct:
		for _, f := range to.fields {
			d := dst[f.off : f.off+f.t.size]
			if of := byName(from, f.name); of != nil {
				oracleCheck(t, d, f.t, src[of.off:of.off+of.t.size], of.t, path+"."+f.name)
			} else {
				require.Equal(t, make([]byte, len(d)), d, "%s: a new field is zero", path+"."+f.name)
			}
		}
	case kArray:
		n := min(to.n, from.n)
		for i := range n {
			oracleCheck(t, dst[i*to.elem.size:][:to.elem.size], to.elem, src[i*from.elem.size:][:from.elem.size], from.elem, path+"[]")
		}
		rest := dst[n*to.elem.size:]
		require.Equal(t, make([]byte, len(rest)), rest, "%s: new elements are zero", path)
	case kBool:
		require.Equal(t, src[0], dst[0], path)
	default:
		if isInt(to.kind) {
			require.Equal(t, 0, intValue(src, from.kind).Cmp(intValue(dst, to.kind)), "%s: %s → %s", path, from, to)
			return
		}
		a, b := floats(src, from.kind), floats(dst, to.kind)
		require.Len(t, b, len(a), path)
		for i := range a {
			if math.IsNaN(a[i]) {
				require.True(t, math.IsNaN(b[i]), path)
			} else {
				require.Equal(t, a[i], b[i], path)
			}
		}
	}
}

// FuzzParseDesc reads arbitrary bytes as a stored layout: an error or a
// layout that encodes and reads back alike, never a panic.
func FuzzParseDesc(f *testing.F) {
	st, err := stateTypeOf[recsB]()
	require.NoError(f, err)
	f.Add(st.descB)
	f.Add([]byte{byte(kArray), 0xff, 0xff, 0x03, byte(kArray), 0xff, 0xff, 0x03, byte(kUint64)})
	f.Fuzz(func(t *testing.T, p []byte) {
		d, err := parseDesc(p)
		if err != nil {
			return
		}
		require.LessOrEqual(t, d.size, maxStateSize)
		d2, err := parseDesc(d.encode(nil))
		require.NoError(t, err)
		require.True(t, sameLayout(d, d2))
	})
}

func allZero(b []byte) bool {
	for _, c := range b {
		if c != 0 {
			return false
		}
	}
	return true
}
