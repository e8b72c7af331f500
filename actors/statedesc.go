package actors

import (
	"encoding/binary"
	"errors"
	"fmt"
	"reflect"
	"strings"
)

// A state's layout descriptor: what a later image needs to read a value
// that an earlier one wrote (field names, kinds, sizes, array lengths,
// nesting), kept in the block with the value. Type names are left out: a
// type renamed between versions is the same state.
//
// Encoding (compact: a struct field costs its name and two or three bytes,
// an array describes its element once):
//
//	node   = kind byte, then for kArray: uvarint length, node (the element)
//	                          for kStruct: uvarint count, count × field
//	field  = name, uvarint count, count × name (former names), node
//	name   = uvarint length, bytes
//
// Scalar kinds carry their size in the kind (kInt32 is 4 bytes).

type dkind uint8

const (
	kBool dkind = iota + 1
	kInt8
	kInt16
	kInt32
	kInt64
	kUint8
	kUint16
	kUint32
	kUint64
	kFloat32
	kFloat64
	kComplex64
	kComplex128
	kArray
	kStruct
)

var kindNames = [...]string{kBool: "bool", kInt8: "int8", kInt16: "int16", kInt32: "int32", kInt64: "int64",
	kUint8: "uint8", kUint16: "uint16", kUint32: "uint32", kUint64: "uint64", kFloat32: "float32",
	kFloat64: "float64", kComplex64: "complex64", kComplex128: "complex128", kArray: "array", kStruct: "struct"}

var kindSizes = [...]int{kBool: 1, kInt8: 1, kInt16: 2, kInt32: 4, kInt64: 8, kUint8: 1, kUint16: 2,
	kUint32: 4, kUint64: 8, kFloat32: 4, kFloat64: 8, kComplex64: 8, kComplex128: 16}

func (k dkind) String() string {
	if k >= 1 && int(k) < len(kindNames) {
		return kindNames[k]
	}
	return fmt.Sprintf("kind %d", k)
}

// class groups the kinds between which a value may be converted.
func (k dkind) class() int {
	switch {
	case k >= kInt8 && k <= kUint64:
		return 1
	case k == kFloat32 || k == kFloat64:
		return 2
	case k == kComplex64 || k == kComplex128:
		return 3
	}
	return 10 + int(k) // bool, array, struct: only with themselves
}

// tdesc describes one type of a state.
type tdesc struct {
	kind   dkind
	size   int // encoded bytes (encoding/binary, no padding)
	n      int // array length
	elem   *tdesc
	fields []tfield
}

type tfield struct {
	name string
	was  []string // former names, from the tag hr:"was=A,B" (kept, so that an older type reads it back)
	off  int      // offset in the encoded struct
	t    *tdesc
}

// String writes d as Go would, for messages ("[4]int32", "struct{A uint8; B bool}").
func (d *tdesc) String() string {
	switch d.kind {
	case kArray:
		return fmt.Sprintf("[%d]%s", d.n, d.elem)
	case kStruct:
		var b strings.Builder
		b.WriteString("struct{")
		for i, f := range d.fields {
			if i > 0 {
				b.WriteString("; ")
			}
			b.WriteString(f.name + " " + f.t.String())
		}
		b.WriteString("}")
		return b.String()
	}
	return d.kind.String()
}

var reflectKinds = [...]dkind{reflect.Bool: kBool, reflect.Int8: kInt8, reflect.Int16: kInt16,
	reflect.Int32: kInt32, reflect.Int64: kInt64, reflect.Uint8: kUint8, reflect.Uint16: kUint16,
	reflect.Uint32: kUint32, reflect.Uint64: kUint64, reflect.Float32: kFloat32,
	reflect.Float64: kFloat64, reflect.Complex64: kComplex64, reflect.Complex128: kComplex128}

// descOf describes t, which describeType has accepted.
func descOf(t reflect.Type) *tdesc {
	switch t.Kind() {
	case reflect.Array:
		e := descOf(t.Elem())
		return &tdesc{kind: kArray, n: t.Len(), elem: e, size: t.Len() * e.size}
	case reflect.Struct:
		d := &tdesc{kind: kStruct}
		for i := range t.NumField() {
			f := t.Field(i)
			fd := descOf(f.Type)
			tf := tfield{name: f.Name, off: d.size, t: fd}
			if was, ok := strings.CutPrefix(f.Tag.Get("hr"), "was="); ok && was != "" {
				tf.was = strings.Split(was, ",")
			}
			d.fields = append(d.fields, tf)
			d.size += fd.size
		}
		return d
	}
	k := reflectKinds[t.Kind()]
	return &tdesc{kind: k, size: kindSizes[k]}
}

// encode appends d's descriptor to b.
func (d *tdesc) encode(b []byte) []byte {
	b = append(b, byte(d.kind))
	switch d.kind {
	case kArray:
		b = binary.AppendUvarint(b, uint64(d.n))
		b = d.elem.encode(b)
	case kStruct:
		b = binary.AppendUvarint(b, uint64(len(d.fields)))
		for _, f := range d.fields {
			b = appendName(b, f.name)
			b = binary.AppendUvarint(b, uint64(len(f.was)))
			for _, w := range f.was {
				b = appendName(b, w)
			}
			b = f.t.encode(b)
		}
	}
	return b
}

func appendName(b []byte, s string) []byte {
	return append(binary.AppendUvarint(b, uint64(len(s))), s...)
}

// Limits of a stored descriptor, which parseDesc enforces so that no
// block's bytes can make it recurse or allocate without bound.
const (
	maxDescDepth = 32
	maxDescNodes = 4096
)

var errDesc = errors.New("bad layout descriptor")

// parseDesc reads a descriptor that encode wrote; the whole of p must be
// one node, and no type may encode to more than maxStateSize bytes.
func parseDesc(p []byte) (*tdesc, error) {
	r := descReader{p: p}
	d := r.node(0)
	if r.err == nil && len(r.p) != 0 {
		r.err = fmt.Errorf("%w: %d trailing bytes", errDesc, len(r.p))
	}
	if r.err != nil {
		return nil, r.err
	}
	return d, nil
}

type descReader struct {
	p     []byte
	nodes int
	err   error
}

func (r *descReader) fail(format string, a ...any) *tdesc {
	if r.err == nil {
		r.err = fmt.Errorf("%w: "+format, append([]any{errDesc}, a...)...)
	}
	return nil
}

func (r *descReader) uvarint() int {
	v, n := binary.Uvarint(r.p)
	if n <= 0 || v > maxStateSize {
		r.fail("bad count")
		return 0
	}
	r.p = r.p[n:]
	return int(v)
}

func (r *descReader) name() string {
	l := r.uvarint()
	if r.err != nil || l > len(r.p) || l == 0 {
		r.fail("name of %d bytes", l)
		return ""
	}
	if r.nodes++; r.nodes > maxDescNodes {
		r.fail("too many names")
		return ""
	}
	s := string(r.p[:l])
	r.p = r.p[l:]
	return s
}

func (r *descReader) node(depth int) *tdesc {
	if r.err != nil {
		return nil
	}
	if r.nodes++; r.nodes > maxDescNodes || depth > maxDescDepth {
		return r.fail("too deep or too large")
	}
	if len(r.p) == 0 {
		return r.fail("truncated")
	}
	k := dkind(r.p[0])
	r.p = r.p[1:]
	switch {
	case k >= kBool && k <= kComplex128:
		return &tdesc{kind: k, size: kindSizes[k]}
	case k == kArray:
		n := r.uvarint()
		e := r.node(depth + 1)
		if r.err != nil {
			return nil
		}
		if e.size != 0 && n > maxStateSize/e.size {
			return r.fail("array of %d × %d bytes", n, e.size)
		}
		return &tdesc{kind: kArray, n: n, elem: e, size: n * e.size}
	case k == kStruct:
		d := &tdesc{kind: kStruct}
		count := r.uvarint()
		for i := 0; i < count && r.err == nil; i++ {
			f := tfield{name: r.name(), off: d.size}
			nw := r.uvarint()
			for j := 0; j < nw && r.err == nil; j++ {
				f.was = append(f.was, r.name())
			}
			t := r.node(depth + 1)
			if r.err != nil {
				return nil
			}
			f.t = t
			d.fields = append(d.fields, f)
			if d.size += t.size; d.size > maxStateSize {
				return r.fail("struct of more than %d bytes", maxStateSize)
			}
		}
		return d
	}
	return r.fail("kind %d", k)
}
