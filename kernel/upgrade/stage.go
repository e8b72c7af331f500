package upgrade

import (
	"encoding/binary"
	"errors"
	"fmt"
	"hash/crc32"

	"github.com/hotrestart/tamago-hr/board/loadable"
)

// The staging area is DRAM outside every image (kern.upgradeArea, below the
// hot-reboot save area; README "RAM layout") that nothing but an upgrade
// writes, so it survives hot reboots and warm resets. It holds the copy
// routine and two slots, each an image's loadable segments with a
// directory the routine reads:
//
//	+0x0000  copy routine (the board's machine code, ≤ 1 KiB)
//	+0x0400  directory of SlotNew    +0x0800  directory of SlotPrev
//	+0x0c00  switch stamp: "HRTS", the monotonic clock (ns) at the jump
//	+0x1000  data of SlotNew         +0x1000+SlotSize  data of SlotPrev
//
// A directory: "HRSL", CRC-32C of the rest and of the data, then the
// routine's descriptor (board/loadable: {entry, n, n × {dst, src, filesz,
// memsz}}, words, little-endian, src a physical address in the slot), then
// the version.
const (
	SlotNew  = 0 // the image an upgrade boots
	SlotPrev = 1 // the image it replaced: a rollback boots it

	codeSize   = 0x400
	dirSize    = 0x400
	dataOff    = 0x1000
	maxSegs    = loadable.MaxSegments
	descOff    = 8 // the routine's descriptor in a directory
	segOff     = descOff + loadable.DescHeader
	versionOff = segOff + maxSegs*loadable.DescSegment
	maxVersion = dirSize - versionOff - 4
	slotMagic  = 0x4c535248 // "HRSL"
	stampOff   = 0xc00
	stampMagic = 0x53545248 // "HRTS"
)

// Stage is the staging area: Mem is its memory, mapped at physical Base.
type Stage struct {
	Mem  []byte
	Base uint32
}

// ErrNoSlot is wrapped when a slot holds no valid image.
var ErrNoSlot = errors.New("no staged image")

var castagnoli = crc32.MakeTable(crc32.Castagnoli)

// SlotSize is how many bytes of segment data one slot holds.
func (s Stage) SlotSize() int { return (len(s.Mem) - dataOff) / 2 &^ 3 }

// PutCode places the copy routine and returns its address.
func (s Stage) PutCode(code []byte) (uint32, error) {
	if len(code) > codeSize || len(s.Mem) < dataOff {
		return 0, fmt.Errorf("copy routine of %d bytes does not fit the staging area's %d", len(code), codeSize)
	}
	copy(s.Mem, code)
	return s.Base, nil
}

// Put stages an image in slot: its segments' data, padded to whole words,
// and the directory. Errors: too many segments, a version too long, data
// larger than SlotSize.
func (s Stage) Put(slot int, version string, entry uint32, segs []Segment) error {
	switch {
	case len(segs) > maxSegs:
		return fmt.Errorf("%d segments, the staging area takes %d", len(segs), maxSegs)
	case len(version) > maxVersion:
		return fmt.Errorf("version of %d bytes, at most %d", len(version), maxVersion)
	}
	need := 0
	for _, sg := range segs {
		need += round4(len(sg.Data))
	}
	if need > s.SlotSize() {
		return fmt.Errorf("%w: %d bytes of segments, a staging slot holds %d (kern.upgradeArea)", ErrLayout, need, s.SlotSize())
	}
	dir := s.Mem[codeSize+slot*dirSize : codeSize+(slot+1)*dirSize]
	clear(dir)
	le := binary.LittleEndian
	le.PutUint32(dir[descOff:], entry)
	le.PutUint32(dir[descOff+4:], uint32(len(segs)))
	off := dataOff + slot*s.SlotSize()
	for i, sg := range segs {
		n := round4(len(sg.Data))
		copy(s.Mem[off:], sg.Data)
		clear(s.Mem[off+len(sg.Data) : off+n])
		d := dir[segOff+loadable.DescSegment*i:]
		le.PutUint32(d[0:], sg.Addr)
		le.PutUint32(d[4:], s.Base+uint32(off))
		le.PutUint32(d[8:], uint32(n))
		le.PutUint32(d[12:], max(uint32(n), uint32(round4(int(sg.MemSize)))))
		off += n
	}
	le.PutUint32(dir[versionOff:], uint32(len(version)))
	copy(dir[versionOff+4:], version)
	le.PutUint32(dir[4:], s.sum(dir))
	le.PutUint32(dir[0:], slotMagic)
	return nil
}

// Load checks slot and returns the version it holds and the address of its
// descriptor, which the copy routine takes.
func (s Stage) Load(slot int) (version string, desc uint32, err error) {
	if len(s.Mem) < dataOff {
		return "", 0, fmt.Errorf("%w: staging area of %d bytes", ErrNoSlot, len(s.Mem))
	}
	dir := s.Mem[codeSize+slot*dirSize : codeSize+(slot+1)*dirSize]
	le := binary.LittleEndian
	if le.Uint32(dir) != slotMagic {
		return "", 0, ErrNoSlot
	}
	n := le.Uint32(dir[descOff+4:])
	vlen := le.Uint32(dir[versionOff:])
	if n > maxSegs || vlen > maxVersion {
		return "", 0, fmt.Errorf("%w: damaged directory", ErrNoSlot)
	}
	lo, hi := s.Base+dataOff+uint32(slot*s.SlotSize()), s.Base+dataOff+uint32((slot+1)*s.SlotSize())
	for i := range n {
		d := dir[segOff+loadable.DescSegment*i:]
		if src, size := le.Uint32(d[4:]), le.Uint32(d[8:]); src < lo || src+size > hi || src+size < src {
			return "", 0, fmt.Errorf("%w: damaged directory", ErrNoSlot)
		}
	}
	if sum := s.sum(dir); sum != le.Uint32(dir[4:]) {
		return "", 0, fmt.Errorf("%w: checksum %#08x, directory says %#08x", ErrNoSlot, sum, le.Uint32(dir[4:]))
	}
	return string(dir[versionOff+4 : versionOff+4+vlen]), s.Base + uint32(codeSize+slot*dirSize+descOff), nil
}

// sum is the CRC-32C of a directory after its checksum and of the data its
// segments point to (their addresses already checked by Load, or written by
// Put).
func (s Stage) sum(dir []byte) uint32 {
	le := binary.LittleEndian
	c := crc32.Update(0, castagnoli, dir[8:])
	for i := range le.Uint32(dir[descOff+4:]) {
		d := dir[segOff+loadable.DescSegment*i:]
		off := le.Uint32(d[4:]) - s.Base
		c = crc32.Update(c, castagnoli, s.Mem[off:off+le.Uint32(d[8:])])
	}
	return c
}

func round4(n int) int { return (n + 3) &^ 3 }

// Stamp records the monotonic clock (runtime nanotime, which the system
// counter keeps across the jump) just before the switch to a staged image.
func (s Stage) Stamp(ns int64) {
	binary.LittleEndian.PutUint64(s.Mem[stampOff+4:], uint64(ns))
	binary.LittleEndian.PutUint32(s.Mem[stampOff:], stampMagic)
}

// TakeStamp returns and clears the stamp of the switch that started this
// boot, if there was one.
func (s Stage) TakeStamp() (ns int64, ok bool) {
	if len(s.Mem) < dataOff || binary.LittleEndian.Uint32(s.Mem[stampOff:]) != stampMagic {
		return 0, false
	}
	ns = int64(binary.LittleEndian.Uint64(s.Mem[stampOff+4:]))
	clear(s.Mem[stampOff : stampOff+12])
	return ns, true
}
