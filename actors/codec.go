package actors

import (
	"encoding/binary"
	"errors"
)

// The controller's records are little-endian fields and length-prefixed
// strings: a fixed, versioned layout that any later image can still read,
// instead of a Go-specific encoding.

var le = binary.LittleEndian

var errShort = errors.New("record truncated")

type encoder struct{ b []byte }

// room makes room for n more bytes; the first call reserves encoderCap, so
// that a typical record is encoded with one allocation (records are written
// at every start of every actor: a group restart writes one per member).
func (e *encoder) room(n int) {
	if e.b == nil {
		e.b = make([]byte, 0, max(n, encoderCap))
	}
}

const encoderCap = 96

func (e *encoder) u8(v uint8)   { e.room(1); e.b = append(e.b, v) }
func (e *encoder) u16(v uint16) { e.room(2); e.b = le.AppendUint16(e.b, v) }
func (e *encoder) u32(v uint32) { e.room(4); e.b = le.AppendUint32(e.b, v) }
func (e *encoder) u64(v uint64) { e.room(8); e.b = le.AppendUint64(e.b, v) }

// str stores a string of at most 65535 bytes (callers bound their strings).
func (e *encoder) str(s string) {
	e.u16(uint16(len(s)))
	e.b = append(e.b, s...)
}

func (e *encoder) strs(ss []string) {
	e.u16(uint16(len(ss)))
	for _, s := range ss {
		e.str(s)
	}
}

// decoder reads what encoder wrote; the first short read sets err and every
// later read returns zero values, so a caller checks err once at the end.
type decoder struct {
	b   []byte
	err error
}

func (d *decoder) take(n int) []byte {
	if d.err != nil || len(d.b) < n {
		d.err = errShort
		return nil
	}
	p := d.b[:n]
	d.b = d.b[n:]
	return p
}

func (d *decoder) u8() uint8 {
	if p := d.take(1); p != nil {
		return p[0]
	}
	return 0
}

func (d *decoder) u16() uint16 {
	if p := d.take(2); p != nil {
		return le.Uint16(p)
	}
	return 0
}

func (d *decoder) u32() uint32 {
	if p := d.take(4); p != nil {
		return le.Uint32(p)
	}
	return 0
}

func (d *decoder) u64() uint64 {
	if p := d.take(8); p != nil {
		return le.Uint64(p)
	}
	return 0
}

func (d *decoder) str() string { return string(d.take(int(d.u16()))) }

func (d *decoder) strs() []string {
	n := int(d.u16())
	var ss []string
	for i := 0; i < n && d.err == nil; i++ {
		ss = append(ss, d.str())
	}
	return ss
}
