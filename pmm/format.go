package pmm

import (
	"encoding/binary"
	"hash/crc32"
)

// LayoutVersion is the on-bank format version this package reads and writes
// (see the package documentation for the table).
const LayoutVersion = 1

// On-bank constants. Every multi-byte field is little-endian.
const (
	bankMagic  uint32 = 0x4d505248 // "HRPM"
	headerSize        = 64
	recordSize        = 96
	journalOff        = headerSize
	jHdrSize          = 16

	// jCommitted marks a committed journal. All four bytes are non-zero, so a
	// state word torn between 0 and jCommitted never reads as committed.
	jCommitted uint32 = 0x54494d43 // "CMIT"
	recUsed    uint32 = 0x4b434c42 // "BLCK"

	opAlloc uint32 = 1
	opFree  uint32 = 2
)

// Header field offsets.
const (
	hMagic      = 0
	hVersion    = 4
	hHeaderSize = 6
	hPageSize   = 8
	hPages      = 12
	hMaxBlocks  = 16
	hMetaPages  = 20
	hJournalOff = 24
	hJournalLen = 28
	hSlotsOff   = 32
	hRecordSize = 36
	hCRC        = 60
)

// Journal field offsets (relative to journalOff).
const (
	jState   = 0
	jCRC     = 4
	jOp      = 8
	jCount   = 12
	jPayload = jHdrSize
)

// Record field offsets.
const (
	rState    = 0
	rFirst    = 4
	rPages    = 8
	rOwner    = 12
	rNameLen  = 13
	rKeyLen   = 14
	rName     = 16
	rKey      = 64
	rReserved = 88
	rCRC      = 92
)

// castagnoli is CRC-32C: better error detection than IEEE on short records.
var castagnoli = crc32.MakeTable(crc32.Castagnoli)

func crc(p []byte) uint32 { return crc32.Checksum(p, castagnoli) }

var le = binary.LittleEndian

// layout is where everything lives for one geometry; it is a pure function of
// the geometry, and the header repeats it so a reader can cross-check.
type layout struct {
	pages, maxBlocks     int
	journalLen, slotsOff int
	metaBytes, metaPages int
}

func layoutOf(g Geometry) layout {
	l := layout{pages: g.Size / PageSize, maxBlocks: g.MaxBlocks}
	payload := max(4+recordSize, 4*g.MaxBlocks)
	l.journalLen = (jHdrSize + payload + 7) &^ 7
	l.slotsOff = journalOff + l.journalLen
	l.metaBytes = l.slotsOff + g.MaxBlocks*recordSize
	l.metaPages = (l.metaBytes + PageSize - 1) / PageSize
	return l
}

func (l layout) slotOff(i int) int { return l.slotsOff + i*recordSize }

func encodeHeader(l layout) []byte {
	h := make([]byte, headerSize)
	le.PutUint32(h[hMagic:], bankMagic)
	le.PutUint16(h[hVersion:], LayoutVersion)
	le.PutUint16(h[hHeaderSize:], headerSize)
	le.PutUint32(h[hPageSize:], PageSize)
	le.PutUint32(h[hPages:], uint32(l.pages))
	le.PutUint32(h[hMaxBlocks:], uint32(l.maxBlocks))
	le.PutUint32(h[hMetaPages:], uint32(l.metaPages))
	le.PutUint32(h[hJournalOff:], journalOff)
	le.PutUint32(h[hJournalLen:], uint32(l.journalLen))
	le.PutUint32(h[hSlotsOff:], uint32(l.slotsOff))
	le.PutUint32(h[hRecordSize:], recordSize)
	le.PutUint32(h[hCRC:], crc(h[:hCRC]))
	return h
}

// slot is the decoded, in-memory form of one used table record.
type slot struct {
	used         bool
	owner        Owner
	first, pages int
	name, key    string
}

func (s *slot) info() BlockInfo {
	return BlockInfo{Name: s.name, Key: s.key, Owner: s.owner, FirstPage: s.first, Pages: s.pages}
}

func encodeRecord(s *slot) []byte {
	r := make([]byte, recordSize)
	le.PutUint32(r[rState:], recUsed)
	le.PutUint32(r[rFirst:], uint32(s.first))
	le.PutUint32(r[rPages:], uint32(s.pages))
	r[rOwner] = byte(s.owner)
	r[rNameLen] = byte(len(s.name))
	r[rKeyLen] = byte(len(s.key))
	copy(r[rName:rKey], s.name)
	copy(r[rKey:rReserved], s.key)
	le.PutUint32(r[rCRC:], crc(r[:rCRC]))
	return r
}

func allZero(p []byte) bool {
	for _, c := range p {
		if c != 0 {
			return false
		}
	}
	return true
}
