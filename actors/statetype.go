package actors

import (
	"encoding/binary"
	"fmt"
	"hash/crc32"
	"reflect"
	"strconv"
	"strings"

	"github.com/hotrestart/tamago-hr/pmm/record"
)

// stateType is what Load knows of a state type T: its encoded size and the
// fingerprint of its layout, checked against the block on every Load.
type stateType struct {
	name   string // T as Go prints it, for messages ("examples.counterState")
	size   int    // binary.Size: the encoded bytes, no padding
	layout string // the layout the fingerprint is taken of
	fp     uint32 // CRC-32C of layout
	desc   *tdesc // the layout for migrations (nil: only fp and size known)
	descB  []byte // desc encoded, as the block keeps it
}

// header is the bytes before the value in a version 2 payload.
func (t stateType) header() int { return stateHeader + len(t.descB) }

// maxStateSize is the largest encoded T: a record payload less the state
// header (record.MaxPayload, 64 KiB − 1, is the record's own limit).
const maxStateSize = record.MaxPayload - stateHeader

// stateTypeOf checks that T can live in the bank and describes it. The bank
// outlives the heap, so T may hold no pointer of any kind; its encoding must
// have one size on every machine (no int, uint or uintptr: 32 bits on the
// board, 64 on the host); and encoding/binary must be able to set every
// field (exported fields, or the blank field _ as padding).
func stateTypeOf[T any]() (stateType, error) {
	t := reflect.TypeFor[T]()
	var b strings.Builder
	if err := describeType(t, t.String(), &b); err != nil {
		return stateType{}, fmt.Errorf("%w: %s: %w", ErrStateType, t, err)
	}
	var zero T
	size := binary.Size(&zero) // the rule above, as encoding/binary applies it
	if size < 0 {
		return stateType{}, fmt.Errorf("%w: %s: not fixed-size for encoding/binary", ErrStateType, t)
	}
	if size > maxStateSize {
		return stateType{}, fmt.Errorf("%w: %s: %d bytes, at most %d", ErrStateType, t, size, maxStateSize)
	}
	layout := b.String()
	desc := descOf(t)
	st := stateType{name: t.String(), size: size, layout: layout,
		fp:   crc32.Checksum([]byte(layout), crc32.MakeTable(crc32.Castagnoli)),
		desc: desc, descB: desc.encode(nil)}
	if desc.size != size || st.header()+size > record.MaxPayload {
		return stateType{}, fmt.Errorf("%w: %s: %d bytes and a layout of %d, at most %d together",
			ErrStateType, t, size, len(st.descB), record.MaxPayload-stateHeader)
	}
	return st, nil
}

// describeType writes the layout of t — type names, field names, element
// types and counts, in order — or says why t cannot be state. path names
// the value being described for the error ("T.Hist[0].Name").
func describeType(t reflect.Type, path string, b *strings.Builder) error {
	if t.Name() != "" {
		b.WriteString(t.String())
	}
	switch t.Kind() {
	case reflect.Bool, reflect.Int8, reflect.Int16, reflect.Int32, reflect.Int64,
		reflect.Uint8, reflect.Uint16, reflect.Uint32, reflect.Uint64,
		reflect.Float32, reflect.Float64, reflect.Complex64, reflect.Complex128:
		if t.Name() != t.Kind().String() {
			b.WriteString(":" + t.Kind().String())
		}
		return nil
	case reflect.Int, reflect.Uint, reflect.Uintptr:
		return fmt.Errorf("%s is %s, whose size depends on the machine: use a sized type (int32, uint64, …)", path, t.Kind())
	case reflect.Array:
		b.WriteString("[" + strconv.Itoa(t.Len()) + "]")
		return describeType(t.Elem(), path+"[0]", b)
	case reflect.Struct:
		b.WriteString("{")
		for i := range t.NumField() {
			f := t.Field(i)
			if !f.IsExported() && f.Name != "_" {
				return fmt.Errorf("%s.%s is unexported: encoding/binary cannot set it (export it, or name padding _)", path, f.Name)
			}
			b.WriteString(f.Name + " ")
			if err := describeType(f.Type, path+"."+f.Name, b); err != nil {
				return err
			}
			b.WriteString(";")
		}
		b.WriteString("}")
		return nil
	}
	return fmt.Errorf("%s is a %s: a pointer or a reference does not survive a restart (the bank outlives the heap)", path, t.Kind())
}
