package actors

import (
	"fmt"
	"hash/crc32"

	"github.com/hotrestart/tamago-hr/pmm"
)

// A record is one controller record in a one-page system block, kept as two
// copies (A and B) so that a reset in the middle of an update never loses
// it. pmm makes the block table crash-consistent; the contents are ours:
// each copy carries a magic, a format version, a sequence number and a
// CRC-32C over everything, an update rewrites the older copy, and a reader
// takes the valid copy with the higher sequence number. A copy cut short by
// a reset fails its CRC and is ignored: the previous version is used, and
// the fact is reported.
//
//	copy: magic u32 | version u16 | length u16 | seq u32 | payload | crc u32

const (
	recVersion   = 1
	recCopySize  = pmm.PageSize / 2
	recHeader    = 12
	recMaxLength = recCopySize - recHeader - 4
)

// Record magics, one per kind, so a block can never be read as another kind.
const (
	magicCtl   = 0x31434852 // "RHC1": controller
	magicGroup = 0x31474852 // "RHG1": group
	magicActor = 0x31414852 // "RHA1": actor
)

var castagnoli = crc32.MakeTable(crc32.Castagnoli)

type recStatus uint8

const (
	recOK      recStatus = iota
	recEmpty             // both copies all zero: never written
	recCorrupt           // no valid copy
)

type record struct {
	name  string // the block's name, for messages
	blk   []byte
	magic uint32
	seq   uint32 // of the newest valid copy; 0 when none
	at    int    // which copy holds it (the next write goes to the other)
}

// loadRecord decodes the newest valid copy in blk. note is non-empty when
// something was wrong (one copy invalid, or why none is valid).
func loadRecord(name string, blk []byte, magic uint32) (r *record, payload []byte, st recStatus, note string) {
	r = &record{name: name, blk: blk, magic: magic, at: 1}
	if len(blk) < 2*recCopySize {
		return r, nil, recCorrupt, fmt.Sprintf("block is %d bytes, want %d", len(blk), 2*recCopySize)
	}
	var best []byte
	valid, zero := 0, 0
	var why string
	for i := 0; i < 2; i++ {
		c := blk[i*recCopySize : (i+1)*recCopySize]
		p, seq, bad := decodeCopy(c, magic)
		switch {
		case bad == "":
			if valid == 0 || int32(seq-r.seq) > 0 {
				best, r.seq, r.at = p, seq, i
			}
			valid++
		case isZero(c):
			zero++
		default:
			why = bad
		}
	}
	switch {
	case valid == 0 && zero == 2:
		return r, nil, recEmpty, "never written"
	case valid == 0:
		return r, nil, recCorrupt, "no valid copy: " + why
	case valid == 1 && zero == 0:
		note = "one copy invalid (" + why + "), the other used"
	}
	return r, best, recOK, note
}

func decodeCopy(c []byte, magic uint32) (payload []byte, seq uint32, bad string) {
	if m := le.Uint32(c); m != magic {
		return nil, 0, fmt.Sprintf("magic %#08x, want %#08x", m, magic)
	}
	if v := le.Uint16(c[4:]); v != recVersion {
		return nil, 0, fmt.Sprintf("format version %d, want %d", v, recVersion)
	}
	n := int(le.Uint16(c[6:]))
	if n > recMaxLength {
		return nil, 0, fmt.Sprintf("length %d beyond %d", n, recMaxLength)
	}
	end := recHeader + n
	if sum := crc32.Checksum(c[:end], castagnoli); sum != le.Uint32(c[end:]) {
		return nil, 0, "CRC mismatch"
	}
	return c[recHeader:end], le.Uint32(c[8:]), ""
}

// write stores payload as the next version, in the copy that does not hold
// the current one. Only an oversized payload fails, and callers bound their
// payloads before creating anything.
func (r *record) write(payload []byte) error {
	if len(payload) > recMaxLength {
		return fmt.Errorf("%w: record %s needs %d bytes, holds %d", ErrTooLong, r.name, len(payload), recMaxLength)
	}
	seq := r.seq + 1
	if seq == 0 {
		seq = 1
	}
	at := 1 - r.at
	c := r.blk[at*recCopySize:][:recCopySize]
	var h [recHeader]byte
	le.PutUint32(h[0:], r.magic)
	le.PutUint16(h[4:], recVersion)
	le.PutUint16(h[6:], uint16(len(payload)))
	le.PutUint32(h[8:], seq)
	sum := crc32.Update(crc32.Checksum(h[:], castagnoli), castagnoli, payload)
	copy(c, h[:])
	copy(c[recHeader:], payload)
	le.PutUint32(c[recHeader+len(payload):], sum)
	r.seq, r.at = seq, at
	return nil
}

func isZero(p []byte) bool {
	for _, b := range p {
		if b != 0 {
			return false
		}
	}
	return true
}
