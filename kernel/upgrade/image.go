package upgrade

import (
	"bytes"
	"debug/elf"
	"encoding/binary"
	"errors"
	"fmt"

	"github.com/hotrestart/tamago-hr/board/loadable"
)

// Area is the physical address range [Start, End) that an image's loadable
// segments may occupy: from the start of DRAM (an image's first segment
// holds its ELF headers, one page below the link address -T 0x80010000) up
// to the first byte the copy must not touch (the runtime's RAM end, below
// the save area, staging area and bank; README "RAM layout").
type Area struct{ Start, End uint32 }

// Segment is one ELF PT_LOAD segment (board/loadable, which the boards
// share with the kernel).
type Segment = loadable.Segment

// Image is an upgrade stream that passed Parse.
type Image struct {
	ELF       []byte // the ELF file, without the signature trailer
	Entry     uint32 // e_entry: _rt0_arm_tamago
	Segments  []Segment
	Manifest  Manifest
	Signature []byte // the detached minisign signature that followed the ELF, or nil
}

// Errors wrapped by Parse.
var (
	ErrNotImage = errors.New("not a firmware image")
	ErrLayout   = errors.New("image does not fit")
)

// Parse splits an upgrade stream into ELF and signature and checks that the
// ELF is a 32-bit little-endian ARM executable whose loadable segments lie
// inside area, whose entry point is inside an executable one, and that it
// carries a manifest. It copies nothing: the Image's slices alias stream.
func Parse(stream []byte, area Area) (*Image, error) {
	if err := tablesInside(stream); err != nil {
		return nil, err
	}
	if !bytes.HasPrefix(stream, []byte(elf.ELFMAG)) {
		return nil, fmt.Errorf("%w: not an ELF file (it starts %q)", ErrNotImage, stream[:min(len(stream), 4)])
	}
	f, err := elf.NewFile(bytes.NewReader(stream))
	if err != nil {
		return nil, fmt.Errorf("%w: %v", ErrNotImage, err)
	}
	defer f.Close()
	switch {
	case f.Class != elf.ELFCLASS32 || f.Data != elf.ELFDATA2LSB:
		return nil, fmt.Errorf("%w: %v %v, want 32-bit little-endian", ErrNotImage, f.Class, f.Data)
	case f.Machine != elf.EM_ARM:
		return nil, fmt.Errorf("%w: machine %v, want EM_ARM", ErrNotImage, f.Machine)
	case f.Type != elf.ET_EXEC:
		return nil, fmt.Errorf("%w: type %v, want ET_EXEC", ErrNotImage, f.Type)
	}
	end, err := elfEnd(f, stream)
	if err != nil {
		return nil, err
	}
	img := &Image{ELF: stream[:end], Entry: uint32(f.Entry)}
	if trailer := stream[end:]; len(trailer) > 0 {
		if !bytes.HasPrefix(trailer, []byte("untrusted comment:")) {
			return nil, fmt.Errorf("%w: %d bytes after the ELF are not a minisign signature", ErrNotImage, len(trailer))
		}
		img.Signature = trailer
	}
	if err := img.loadSegments(f, area); err != nil {
		return nil, err
	}
	sec := f.Section(ManifestSection)
	if sec == nil || sec.Type == elf.SHT_NOBITS {
		return nil, fmt.Errorf("%w: no %s section (not built by this project's Makefile)", ErrNotImage, ManifestSection)
	}
	raw, err := sec.Data()
	if err != nil {
		return nil, fmt.Errorf("%w: %s: %v", ErrNotImage, ManifestSection, err)
	}
	if img.Manifest, err = ParseManifest(raw); err != nil {
		return nil, err
	}
	return img, nil
}

// loadSegments collects the PT_LOAD segments and checks where they go.
func (img *Image) loadSegments(f *elf.File, area Area) error {
	entryOK := false
	for _, p := range f.Progs {
		if p.Type != elf.PT_LOAD || p.Memsz == 0 {
			continue
		}
		lo, hi := p.Vaddr, p.Vaddr+p.Memsz
		switch {
		case p.Paddr != p.Vaddr:
			return fmt.Errorf("%w: segment at %#x has physical address %#x", ErrLayout, p.Vaddr, p.Paddr)
		case p.Filesz > p.Memsz:
			return fmt.Errorf("%w: segment at %#x: file size %#x > memory size %#x", ErrNotImage, p.Vaddr, p.Filesz, p.Memsz)
		case lo < uint64(area.Start) || hi > uint64(area.End):
			return fmt.Errorf("%w: segment %#x-%#x outside the image area %#x-%#x", ErrLayout, lo, hi, area.Start, area.End)
		case lo%4 != 0:
			// the copy routine stores words with STM, MMU off: an unaligned
			// multiple-word store faults (ARM ARM A3.2.1), mid-switch
			return fmt.Errorf("%w: segment at %#x is not word aligned", ErrLayout, lo)
		}
		if p.Flags&elf.PF_X != 0 && f.Entry >= lo && f.Entry < hi {
			entryOK = true
		}
		img.Segments = append(img.Segments, Segment{
			Addr:    uint32(lo),
			Data:    img.ELF[p.Off : p.Off+p.Filesz],
			MemSize: uint32(p.Memsz),
		})
	}
	if len(img.Segments) == 0 {
		return fmt.Errorf("%w: no loadable segment", ErrNotImage)
	}
	if !entryOK {
		return fmt.Errorf("%w: entry %#x is not in an executable segment", ErrLayout, f.Entry)
	}
	return overlaps(img.Segments)
}

// overlaps refuses segments that would overwrite each other.
func overlaps(segs []Segment) error {
	for i, a := range segs {
		for _, b := range segs[i+1:] {
			if a.Addr < b.Addr+b.MemSize && b.Addr < a.Addr+a.MemSize {
				return fmt.Errorf("%w: segments at %#x and %#x overlap", ErrNotImage, a.Addr, b.Addr)
			}
		}
	}
	return nil
}

// tablesInside refuses a stream cut before the end of the ELF's program or
// section header table (the section header table is the file's last part,
// so a transfer cut anywhere is caught here or by elfEnd), with the sizes,
// where debug/elf would only say EOF.
func tablesInside(stream []byte) error {
	const ehsize = 52 // ELFCLASS32 header
	if len(stream) < ehsize || !bytes.HasPrefix(stream, []byte(elf.ELFMAG)) || stream[elf.EI_CLASS] != byte(elf.ELFCLASS32) {
		return nil // elf.NewFile says what is wrong
	}
	le := binary.LittleEndian
	phEnd := uint64(le.Uint32(stream[28:])) + uint64(le.Uint16(stream[42:]))*uint64(le.Uint16(stream[44:]))
	shEnd := uint64(le.Uint32(stream[32:])) + uint64(le.Uint16(stream[46:]))*uint64(le.Uint16(stream[48:]))
	if end := max(phEnd, shEnd); end > uint64(len(stream)) {
		return fmt.Errorf("%w: truncated: %d bytes, the ELF's headers say %d", ErrNotImage, len(stream), end)
	}
	return nil
}

// elfEnd is the offset of the ELF file's last byte plus one: the furthest of
// its headers, segments and sections. A stream shorter than that is cut.
func elfEnd(f *elf.File, stream []byte) (int, error) {
	var end uint64
	grow := func(off, size uint64) { end = max(end, off+size) }
	// header sizes of ELFCLASS32 (ELF specification, "ELF Header")
	const ehsize, phentsize, shentsize = 52, 32, 40
	grow(0, ehsize)
	for _, p := range f.Progs {
		grow(p.Off, p.Filesz)
	}
	for _, s := range f.Sections {
		if s.Type != elf.SHT_NOBITS && s.Type != elf.SHT_NULL {
			grow(s.Offset, s.FileSize)
		}
	}
	// e_phoff and e_shoff, which debug/elf does not export
	grow(uint64(binary.LittleEndian.Uint32(stream[28:])), uint64(len(f.Progs))*phentsize)
	grow(uint64(binary.LittleEndian.Uint32(stream[32:])), uint64(len(f.Sections))*shentsize)
	if end > uint64(len(stream)) {
		return 0, fmt.Errorf("%w: truncated: %d bytes, the ELF's headers say %d", ErrNotImage, len(stream), end)
	}
	return int(end), nil
}
