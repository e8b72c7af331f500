package actors

import (
	"errors"
	"fmt"

	"github.com/hotrestart/tamago-hr/pmm/record"
)

// Checks of a state block against a type that only its layout describes:
// what a running image does before it hands over to a new one, whose Go
// types it does not have but whose manifest records their layouts
// (WithState, RegisterMigration; tools/statedecl writes them).

// Layout describes a state type without reflect, for build tools that read
// Go source (tools/statedecl): Kind is a sized Go kind ("bool", "int8" …
// "uint64", "float32", "float64", "complex64", "complex128"), "array" (Len
// elements of Elem) or "struct" (Fields, in order).
type Layout struct {
	Kind   string
	Len    int
	Elem   *Layout
	Fields []LayoutField
}

// LayoutField is a struct field of a Layout: its name, its former names
// (the tag hr:"was=A,B") and its type.
type LayoutField struct {
	Name string
	Was  []string
	Type *Layout
}

// Encode returns the layout descriptor a block of that type keeps (the
// bytes StateLayout returns for the Go type), or why it cannot be state.
func (l *Layout) Encode() ([]byte, error) {
	d, err := l.desc(0)
	if err != nil {
		return nil, err
	}
	if d.size > maxStateSize {
		return nil, fmt.Errorf("%w: %d bytes, at most %d", ErrStateType, d.size, maxStateSize)
	}
	return d.encode(nil), nil
}

func (l *Layout) desc(depth int) (*tdesc, error) {
	if l == nil || depth > maxDescDepth {
		return nil, fmt.Errorf("%w: layout missing or deeper than %d", ErrStateType, maxDescDepth)
	}
	switch l.Kind {
	case "array":
		e, err := l.Elem.desc(depth + 1)
		if err != nil {
			return nil, err
		}
		if l.Len < 0 || (e.size != 0 && l.Len > maxStateSize/e.size) {
			return nil, fmt.Errorf("%w: array of %d × %d bytes", ErrStateType, l.Len, e.size)
		}
		return &tdesc{kind: kArray, n: l.Len, elem: e, size: l.Len * e.size}, nil
	case "struct":
		d := &tdesc{kind: kStruct}
		for _, f := range l.Fields {
			t, err := f.Type.desc(depth + 1)
			if err != nil {
				return nil, err
			}
			d.fields = append(d.fields, tfield{name: f.Name, was: f.Was, off: d.size, t: t})
			if d.size += t.size; d.size > maxStateSize {
				return nil, fmt.Errorf("%w: struct of more than %d bytes", ErrStateType, maxStateSize)
			}
		}
		return d, nil
	}
	for k := kBool; k <= kComplex128; k++ {
		if kindNames[k] == l.Kind {
			return &tdesc{kind: k, size: kindSizes[k]}, nil
		}
	}
	return nil, fmt.Errorf("%w: kind %q", ErrStateType, l.Kind)
}

// StateLayout returns the layout descriptor of T as a block of T keeps
// it, or ErrStateType saying what is wrong with T.
func StateLayout[T any]() ([]byte, error) {
	st, err := stateTypeOf[T]()
	if err != nil {
		return nil, err
	}
	return st.descB, nil
}

// Migration is an explicit migration as a manifest records it: the
// layouts of its old and new types (RegisterMigration[Old, New]).
type Migration struct{ From, To []byte }

// CheckBlock says whether the state in blk could be loaded by a type of
// layout want, given the explicit migrations migs of that image: the chain
// of migrations is followed by layout (a function's result is unknown
// here, so its new type's zero value goes on), then the rules by name are
// tried on the stored value, so a narrowing whose value does not fit fails
// like a kind that cannot change, naming the field. Nothing is written. It
// returns nil for a block that holds no value yet, no valid state (Load
// says ErrStateCorrupt there, whatever the type) or a version 1 state
// (written before layouts were kept: only its own type reads it, which
// only the new image can tell): the new image's trial judges those. A
// damaged descriptor in the block or in want is an error.
func CheckBlock(blk []byte, want []byte, migs []Migration) error {
	to, err := parseDesc(want)
	if err != nil {
		return fmt.Errorf("the new image's layout: %w", err)
	}
	val, from, err := storedState(blk)
	if err != nil || from == nil {
		return err
	}
	if record.BlockSize(stateHeader+len(want)+to.size) > len(blk) {
		return fmt.Errorf("its new type takes %d bytes with its layout, the block holds %d (the bank does not grow a block)",
			stateHeader+len(want)+to.size, len(blk))
	}
	for range maxChain {
		if sameLayout(from, to) {
			return nil
		}
		next := -1
		for i, m := range migs {
			if d, err := parseDesc(m.From); err == nil && sameLayout(d, from) {
				next = i
				break
			}
		}
		if next < 0 {
			break
		}
		if from, err = parseDesc(migs[next].To); err != nil {
			return fmt.Errorf("the new image's migration: %w", err)
		}
		val = make([]byte, from.size)
	}
	if _, err := migrateValue(make([]byte, to.size), to, val, from); err != nil {
		return fmt.Errorf("field %w", err)
	}
	return nil
}

// storedState returns the value and layout of the typed state in blk
// (from nil: none to check, see CheckBlock).
func storedState(blk []byte) (val []byte, from *tdesc, err error) {
	_, p, err := record.Load(blk, kindState)
	switch {
	case errors.Is(err, record.ErrEmpty), errors.Is(err, record.ErrVersion), errors.Is(err, record.ErrInvalid):
		return nil, nil, nil
	case err != nil:
		return nil, nil, fmt.Errorf("%w: %w", ErrStateCorrupt, err)
	case len(p) < stateHeader:
		return nil, nil, fmt.Errorf("%w: %d bytes, shorter than the state header", ErrStateCorrupt, len(p))
	}
	n, dl := int(le.Uint32(p[4:])), int(le.Uint16(p[8:]))
	if len(p) != stateHeader+dl+n {
		return nil, nil, fmt.Errorf("%w: %d bytes, the header says %d", ErrStateCorrupt, len(p), stateHeader+dl+n)
	}
	if from, err = parseDesc(p[stateHeader : stateHeader+dl]); err == nil && from.size != n {
		err = fmt.Errorf("%w: describes %d bytes, the value is %d", errDesc, from.size, n)
	}
	if err != nil {
		return nil, nil, fmt.Errorf("%w: %w", ErrStateCorrupt, err)
	}
	return p[stateHeader+dl:], from, nil
}
