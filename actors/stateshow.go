package actors

import (
	"encoding/hex"
	"errors"
	"fmt"
	"io"
	"math"
	"strconv"
	"strings"

	"github.com/hotrestart/tamago-hr/pmm/record"
)

// maxShowLines bounds ShowState's output, so a big state cannot flood the
// console.
const maxShowLines = 200

// ShowState writes the typed state kept in blk, one field a line, read
// with the layout the block records (no Go type needed: it works while the
// group is held, and after the program left the image):
//
//	Meters = 1230
//	Pos.X = -3
//	Name = "odo" ([16]uint8)
//	Hist = [1 2 3 0]
//	Items[0].Key = "a" ([8]uint8)
//
// A [N]byte is shown as a string with its zero tail trimmed (quoted, so
// other bytes show as escapes); arrays of numbers on one line; arrays of
// structs element by element. At most 200 lines, then how many were left.
// A version 1 state (written before layouts were kept) is shown in hex.
// Errors: ErrStateCorrupt for a block with no valid state (a raw block,
// damaged copies), record.ErrEmpty for one never committed.
func ShowState(w io.Writer, blk []byte) error {
	_, p, err := record.Load(blk, kindState)
	switch {
	case errors.Is(err, record.ErrVersion):
		k := kindState
		k.Version = 1
		if _, p, err = record.Load(blk, k); err != nil || len(p) < stateHeaderV1 {
			return fmt.Errorf("%w: %v", ErrStateCorrupt, err)
		}
		fmt.Fprintf(w, "(%s, written before layouts were kept) %s\n",
			stateType{fp: le.Uint32(p), size: int(le.Uint32(p[4:]))}, hex.EncodeToString(p[stateHeaderV1:]))
		return nil
	case errors.Is(err, record.ErrEmpty):
		return err
	case err != nil:
		return fmt.Errorf("%w: %w", ErrStateCorrupt, err)
	}
	val, d, err := storedState(blk)
	if err == nil && d == nil {
		err = fmt.Errorf("%w: no state record", ErrStateCorrupt)
	}
	if err != nil {
		return err
	}
	s := shower{w: w}
	s.value("", d, val)
	if s.lines > maxShowLines {
		fmt.Fprintf(w, "… %d more lines\n", s.lines-maxShowLines)
	}
	return nil
}

type shower struct {
	w     io.Writer
	lines int
}

func (s *shower) line(path, text string) {
	if s.lines++; s.lines <= maxShowLines {
		if path == "" {
			path = "value"
		}
		fmt.Fprintf(s.w, "%s = %s\n", path, text)
	}
}

func (s *shower) value(path string, d *tdesc, v []byte) {
	switch d.kind {
	case kStruct:
		for _, f := range d.fields {
			if f.name != "_" {
				s.value(join(path, f.name), f.t, v[f.off:f.off+f.t.size])
			}
		}
	case kArray:
		switch {
		case d.elem.size == 0: // nothing kept, however many (a stored layout may say any number)
			s.line(path, "[] ("+d.String()+")")
		case d.elem.kind == kUint8:
			s.line(path, strconv.Quote(strings.TrimRight(string(v), "\x00"))+" ("+d.String()+")")
		case d.elem.kind != kArray && d.elem.kind != kStruct:
			parts := make([]string, d.n)
			for i := range d.n {
				parts[i] = scalar(d.elem.kind, v[i*d.elem.size:])
			}
			s.line(path, "["+strings.Join(parts, " ")+"]")
		default:
			for i := range d.n {
				s.value(fmt.Sprintf("%s[%d]", path, i), d.elem, v[i*d.elem.size:][:d.elem.size])
			}
		}
	default:
		s.line(path, scalar(d.kind, v))
	}
}

// scalar formats one encoded number or bool.
func scalar(k dkind, v []byte) string {
	switch k {
	case kBool:
		return strconv.FormatBool(v[0] != 0)
	case kInt8:
		return strconv.FormatInt(int64(int8(v[0])), 10)
	case kInt16:
		return strconv.FormatInt(int64(int16(le.Uint16(v))), 10)
	case kInt32:
		return strconv.FormatInt(int64(int32(le.Uint32(v))), 10)
	case kInt64:
		return strconv.FormatInt(int64(le.Uint64(v)), 10)
	case kUint8:
		return strconv.FormatUint(uint64(v[0]), 10)
	case kUint16:
		return strconv.FormatUint(uint64(le.Uint16(v)), 10)
	case kUint32:
		return strconv.FormatUint(uint64(le.Uint32(v)), 10)
	case kUint64:
		return strconv.FormatUint(le.Uint64(v), 10)
	case kFloat32:
		return strconv.FormatFloat(float64(math.Float32frombits(le.Uint32(v))), 'g', -1, 32)
	case kFloat64:
		return strconv.FormatFloat(math.Float64frombits(le.Uint64(v)), 'g', -1, 64)
	case kComplex64:
		return fmt.Sprint(complex(math.Float32frombits(le.Uint32(v)), math.Float32frombits(le.Uint32(v[4:]))))
	case kComplex128:
		return fmt.Sprint(complex(math.Float64frombits(le.Uint64(v)), math.Float64frombits(le.Uint64(v[8:]))))
	}
	return "?"
}
