package record

import (
	"encoding/binary"
	"errors"
	"fmt"
	"hash/crc32"
	"slices"
	"sync/atomic"
)

// Sizes of the format (see the package documentation).
const (
	headerSize = 12
	// Overhead is the bytes each copy adds to its payload: header and CRC.
	Overhead = headerSize + 4
	// MaxPayload is the largest payload any block holds (the 16-bit length).
	MaxPayload = 1<<16 - 1
)

// Errors, each wrapped with the kind's name and a detail.
var (
	ErrEmpty   = errors.New("never written")
	ErrInvalid = errors.New("no valid copy")
	ErrVersion = errors.New("unreadable format version")
	ErrBlock   = errors.New("block too small")
	ErrTooLong = errors.New("payload too long")
)

var (
	le         = binary.LittleEndian
	castagnoli = crc32.MakeTable(crc32.Castagnoli)
)

// Kind says what a record holds. Magic keeps one kind from ever being read
// as another; Version is the payload's layout, which the owner changes when
// the payload's fields change.
type Kind struct {
	Name    string // for messages, e.g. "boot record"
	Magic   uint32
	Version uint16
}

// Magic returns the magic whose bytes in the block read s (four bytes).
func Magic(s string) uint32 { return le.Uint32([]byte(s[:4])) }

// Capacity is the largest payload a block of n bytes holds.
func Capacity(n int) int { return min(n/2-Overhead, MaxPayload) }

// BlockSize is the smallest block that holds payloads of n bytes.
func BlockSize(n int) int { return 2 * (Overhead + n) }

// Record is a record in a block. It remembers which copy holds the newest
// version, so Write never reads the block. Not safe for concurrent use.
type Record struct {
	kind Kind
	blk  []byte
	seq  uint32 // of the newest valid copy; 0 when none
	at   int    // copy holding it (0 = A); the next Write goes to the other
	note string
}

// New returns the record of a block about to be written for the first
// time (e.g. just allocated, all zeros). It does not decode the block; it
// only finds the newest copy of this kind with a right CRC, if any, so that
// the first Write still outranks it.
func New(blk []byte, k Kind) *Record {
	r := &Record{kind: k, blk: blk, at: 1}
	if len(blk) < BlockSize(0) {
		return r
	}
	for i := range 2 {
		if c := r.decode(i); c.why == "" && (r.seq == 0 || newer(c.seq, r.seq)) {
			r.seq, r.at = c.seq, i
		}
	}
	return r
}

// copyInfo is what one copy holds.
type copyInfo struct {
	why     string // why it is not a valid copy of this kind; "" if it is
	zero    bool   // all zero: never written
	seq     uint32
	version uint16
	payload []byte // aliases the block
}

func newer(a, b uint32) bool { return int32(a-b) > 0 }

func (r *Record) half() int { return len(r.blk) / 2 }

func (r *Record) decode(i int) copyInfo {
	c := r.blk[i*r.half() : (i+1)*r.half()]
	if m := le.Uint32(c); m != r.kind.Magic {
		if isZero(c) {
			return copyInfo{why: "never written", zero: true}
		}
		return copyInfo{why: fmt.Sprintf("magic %s, want %s", magicString(m), magicString(r.kind.Magic))}
	}
	n := int(le.Uint16(c[6:]))
	if n > Capacity(len(r.blk)) {
		return copyInfo{why: fmt.Sprintf("length %d beyond %d", n, Capacity(len(r.blk)))}
	}
	end := headerSize + n
	if crc32.Checksum(c[:end], castagnoli) != le.Uint32(c[end:]) {
		return copyInfo{why: "CRC mismatch"}
	}
	return copyInfo{seq: le.Uint32(c[8:]), version: le.Uint16(c[4:]), payload: c[headerSize:end]}
}

// Load returns the record in blk and a copy of its newest payload. The
// Record is usable for Write whatever the error (a record over a block too
// small fails every Write). Errors: ErrEmpty, ErrInvalid, ErrVersion,
// ErrBlock (see the package documentation).
func Load(blk []byte, k Kind) (*Record, []byte, error) {
	r := &Record{kind: k, blk: blk, at: 1}
	if len(blk) < BlockSize(0) {
		return r, nil, fmt.Errorf("%s: %w: %d bytes, need %d", k.Name, ErrBlock, len(blk), BlockSize(0))
	}
	cs := [2]copyInfo{r.decode(0), r.decode(1)}
	best := -1
	for i, c := range cs {
		if c.why == "" && (best < 0 || newer(c.seq, cs[best].seq)) {
			best = i
		}
	}
	switch {
	case best < 0 && cs[0].zero && cs[1].zero:
		return r, nil, fmt.Errorf("%s: %w", k.Name, ErrEmpty)
	case best < 0:
		return r, nil, fmt.Errorf("%s: %w: copy A: %s; copy B: %s", k.Name, ErrInvalid, cs[0].why, cs[1].why)
	}
	r.seq, r.at = cs[best].seq, best
	if v := cs[best].version; v != k.Version {
		return r, nil, fmt.Errorf("%s: %w: copy %c holds version %d, this image reads %d",
			k.Name, ErrVersion, 'A'+best, v, k.Version)
	}
	if o := cs[1-best]; o.why != "" && !o.zero {
		r.note = fmt.Sprintf("copy %c invalid (%s), copy %c used", 'B'-best, o.why, 'A'+best)
	}
	return r, slices.Clone(cs[best].payload), nil
}

// Write stores payload as the next version, in the copy that does not hold
// the newest one, and fences. It does not allocate (the kernel saves its
// boot record from a dying runtime). Errors: ErrTooLong, ErrBlock; nothing
// is written then.
func (r *Record) Write(payload []byte) error {
	if len(r.blk) < BlockSize(0) {
		return fmt.Errorf("%s: %w: %d bytes, need %d", r.kind.Name, ErrBlock, len(r.blk), BlockSize(0))
	}
	if c := Capacity(len(r.blk)); len(payload) > c {
		return fmt.Errorf("%s: %w: %d bytes, the block holds %d", r.kind.Name, ErrTooLong, len(payload), c)
	}
	seq := r.seq + 1
	if seq == 0 {
		seq = 1
	}
	at := 1 - r.at
	c := r.blk[at*r.half():][:r.half()]
	le.PutUint32(c[0:], r.kind.Magic)
	le.PutUint16(c[4:], r.kind.Version)
	le.PutUint16(c[6:], uint16(len(payload)))
	le.PutUint32(c[8:], seq)
	end := headerSize + copy(c[headerSize:], payload)
	le.PutUint32(c[end:], crc32.Checksum(c[:end], castagnoli))
	fence()
	r.seq, r.at, r.note = seq, at, ""
	return nil
}

// Seq is the sequence number of the newest version (0: none yet).
func (r *Record) Seq() uint32 { return r.seq }

// Copy is the copy holding the newest version: 'A' or 'B' (meaningful when
// Seq is not 0).
func (r *Record) Copy() byte { return byte('A' + r.at) }

// Cap is the largest payload Write accepts.
func (r *Record) Cap() int { return max(Capacity(len(r.blk)), 0) }

// Note says what Load found wrong besides the copy it used ("" if nothing).
func (r *Record) Note() string { return r.note }

// String names the record and its newest version, e.g. "boot record v1,
// seq 7 in copy A".
func (r *Record) String() string {
	return fmt.Sprintf("%s v%d, seq %d in copy %c", r.kind.Name, r.kind.Version, r.seq, r.Copy())
}

// Kind is the record's kind.
func (r *Record) Kind() Kind { return r.kind }

// fenceWord gives fence an atomic to execute: sync/atomic is a compiler
// barrier everywhere and a DMB on ARMv7, so one write's stores reach the
// bank before the next write's.
var fenceWord uint32

func fence() { atomic.AddUint32(&fenceWord, 1) }

func isZero(p []byte) bool {
	for _, b := range p {
		if b != 0 {
			return false
		}
	}
	return true
}

// magicString shows a magic as its four bytes when they are printable.
func magicString(m uint32) string {
	var b [4]byte
	le.PutUint32(b[:], m)
	for _, c := range b {
		if c < 0x20 || c > 0x7e {
			return fmt.Sprintf("%#08x", m)
		}
	}
	return fmt.Sprintf("%q", b[:])
}
