package actors

import (
	"fmt"
	"math"
	"slices"
	"strings"
)

// migration converts a value written with one layout into another, by
// field name (the rules are in the package documentation, "Changing a
// state's type"). It works on the encoded bytes (encoding/binary's layout
// of each type), so no value of the old Go type is ever needed.
type migration struct {
	dropped []string // old fields (paths) with no field in the new type
	added   []string // new fields with no field in the old type: zero
	cut     []string // arrays that got shorter: the elements dropped
	renamed []string // fields taken from another name: "Meters → Distance"
}

// migrateValue converts src, a value of layout from, into dst, a zeroed
// buffer for a value of layout to. An error names the field and says why
// (a kind that cannot become the other, a value that does not fit).
func migrateValue(dst []byte, to *tdesc, src []byte, from *tdesc) (*migration, error) {
	m := &migration{}
	if err := m.convert(dst, to, src, from, ""); err != nil {
		return nil, err
	}
	return m, nil
}

// note says what the migration dropped and added, "" if nothing: "dropped
// Old, Hist[4:8]; added Trips".
func (m *migration) note() string {
	var parts []string
	if len(m.renamed) > 0 {
		parts = append(parts, "renamed "+strings.Join(m.renamed, ", "))
	}
	if d := append(append([]string(nil), m.dropped...), m.cut...); len(d) > 0 {
		parts = append(parts, "dropped "+strings.Join(d, ", "))
	}
	if len(m.added) > 0 {
		parts = append(parts, "added "+strings.Join(m.added, ", "))
	}
	return strings.Join(parts, "; ")
}

func join(path, name string) string {
	if path == "" {
		return name
	}
	return path + "." + name
}

// where names a path for errors: the field, or "the value" at the top.
func where(path string) string {
	if path == "" {
		return "the value"
	}
	return path
}

func (m *migration) convert(dst []byte, to *tdesc, src []byte, from *tdesc, path string) error {
	if to.kind.class() != from.kind.class() {
		return fmt.Errorf("%s: %s → %s cannot be migrated", where(path), from, to)
	}
	switch to.kind {
	case kStruct:
		used := make([]bool, len(from.fields))
		var added []string
		for _, f := range to.fields {
			if f.name == "_" {
				continue // padding stays zero
			}
			i := fieldFor(from, f)
			if i < 0 {
				added = append(added, f.name)
				m.added = append(m.added, join(path, f.name))
				continue
			}
			used[i] = true
			of := from.fields[i]
			if of.name != f.name {
				m.renamed = append(m.renamed, join(path, of.name)+" → "+f.name)
			}
			if err := m.convert(dst[f.off:f.off+f.t.size], f.t, src[of.off:of.off+of.t.size], of.t, join(path, f.name)); err != nil {
				return err
			}
		}
		for i, f := range from.fields {
			if used[i] || f.name == "_" {
				continue
			}
			// a field that holds a value dropped while another is added is
			// a rename or a change of meaning the rules cannot see: carrying
			// on would start the new field from zero and lose the value
			if len(added) > 0 && slices.ContainsFunc(src[f.off:f.off+f.t.size], func(b byte) bool { return b != 0 }) {
				verb := " is"
				if len(added) > 1 {
					verb = " are"
				}
				return fmt.Errorf("%s holds a value and %s%s new: a rename needs the tag hr:\"was=%s\", a change of meaning a registered migration (dropping it would lose the value)",
					join(path, f.name), strings.Join(added, ", "), verb, f.name)
			}
			m.dropped = append(m.dropped, join(path, f.name))
		}
		return nil
	case kArray:
		n := min(to.n, from.n)
		switch {
		case sameLayout(to.elem, from.elem): // bytes, or elements that did not change
			copy(dst, src[:n*from.elem.size])
			n = 0
		case to.elem.size == 0 || from.elem.size == 0:
			n = min(n, 1) // nothing to carry: the first element checks the kinds
		}
		for i := range n {
			p := fmt.Sprintf("%s[%d]", path, i)
			// only the first element's fields are listed: the others are the same
			sub := m
			if i > 0 {
				sub = &migration{}
			}
			if err := sub.convert(dst[i*to.elem.size:][:to.elem.size], to.elem, src[i*from.elem.size:][:from.elem.size], from.elem, p); err != nil {
				return err
			}
		}
		if from.n > to.n {
			m.cut = append(m.cut, fmt.Sprintf("%s[%d:%d]", path, to.n, from.n))
		}
		return nil
	case kBool:
		dst[0] = src[0]
		return nil
	}
	return convertScalar(dst, to.kind, src, from.kind, path)
}

// sameLayout reports whether a and b encode alike, field names included.
func sameLayout(a, b *tdesc) bool {
	if a.kind != b.kind || a.size != b.size || a.n != b.n || len(a.fields) != len(b.fields) {
		return false
	}
	if a.kind == kArray {
		return sameLayout(a.elem, b.elem)
	}
	for i, f := range a.fields {
		if f.name != b.fields[i].name || !sameLayout(f.t, b.fields[i].t) {
			return false
		}
	}
	return true
}

// fieldFor finds the old field that new field f takes its value from: the
// same name, else one of f's former names, else an old field that names f
// as its former name (an older type reading a renamed field back).
func fieldFor(from *tdesc, f tfield) int {
	for i, of := range from.fields {
		if of.name == f.name {
			return i
		}
	}
	for _, w := range f.was {
		for i, of := range from.fields {
			if of.name == w {
				return i
			}
		}
	}
	for i, of := range from.fields {
		if slices.Contains(of.was, f.name) {
			return i
		}
	}
	return -1
}

func isSigned(k dkind) bool { return k >= kInt8 && k <= kInt64 }

// convertScalar converts a number between kinds of one class: integers
// when the value fits the new kind, floats (and complex) when it is the
// same number in the new kind; anything else is an error naming the value.
func convertScalar(dst []byte, to dkind, src []byte, from dkind, path string) error {
	switch to.class() {
	case 1:
		var u uint64
		var neg bool
		switch kindSizes[from] {
		case 1:
			u = uint64(src[0])
		case 2:
			u = uint64(le.Uint16(src))
		case 4:
			u = uint64(le.Uint32(src))
		default:
			u = le.Uint64(src)
		}
		if isSigned(from) { // sign-extend
			bits := uint(8 * kindSizes[from])
			s := int64(u<<(64-bits)) >> (64 - bits)
			u, neg = uint64(s), s < 0
		}
		bits := uint(8 * kindSizes[to])
		fits := false
		switch {
		case isSigned(to) && neg:
			fits = int64(u) >= -1<<(bits-1)
		case isSigned(to):
			fits = u <= 1<<(bits-1)-1
		case neg:
			fits = false
		default:
			fits = bits == 64 || u < 1<<bits
		}
		if !fits {
			v := fmt.Sprint(u)
			if neg {
				v = fmt.Sprint(int64(u))
			}
			return fmt.Errorf("%s: value %s does not fit %s (was %s)", path, v, to, from)
		}
		switch kindSizes[to] {
		case 1:
			dst[0] = byte(u)
		case 2:
			le.PutUint16(dst, uint16(u))
		case 4:
			le.PutUint32(dst, uint32(u))
		default:
			le.PutUint64(dst, u)
		}
		return nil
	case 2:
		return convertFloat(dst, to, src, from, path)
	}
	// complex: two floats of half the size each
	re, im := kFloat32, kFloat32
	if to == kComplex128 {
		re, im = kFloat64, kFloat64
	}
	fre := kFloat32
	if from == kComplex128 {
		fre = kFloat64
	}
	h, fh := kindSizes[re], kindSizes[fre]
	if err := convertFloat(dst[:h], re, src[:fh], fre, path+" (real part)"); err != nil {
		return err
	}
	return convertFloat(dst[h:], im, src[fh:], fre, path+" (imaginary part)")
}

func convertFloat(dst []byte, to dkind, src []byte, from dkind, path string) error {
	var v float64
	if from == kFloat32 {
		v = float64(math.Float32frombits(le.Uint32(src)))
	} else {
		v = math.Float64frombits(le.Uint64(src))
	}
	if to == kFloat64 {
		le.PutUint64(dst, math.Float64bits(v))
		return nil
	}
	f := float32(v)
	if float64(f) != v && !math.IsNaN(v) {
		return fmt.Errorf("%s: value %v does not fit %s (was %s)", path, v, to, from)
	}
	le.PutUint32(dst, math.Float32bits(f))
	return nil
}
