// Package span finds and checks the hot-reboot span of a linked firmware ELF
// and writes it into the image (tools/hotspan, tools/hrbuild).
package span

import (
	"cmp"
	"debug/elf"
	"encoding/binary"
	"errors"
	"fmt"
	"os"
	"slices"
	"strings"
)

// Save area geometry, as board/internal/imx6 defines it (SaveSize in
// layout.go, and saveHeaderSize in savearea.go, the header before the copy,
// which a compile-time check there holds to 128 bytes); a host tool may not
// import the board.
const (
	saveSize   = 1 << 20
	saveHeader = 128
	spanSymbol = "github.com/hotrestart/tamago-hr/board/internal/imx6.hotSpan"
	skipSymbol = "github.com/hotrestart/tamago-hr/board/internal/imx6.bssSkip"
	// scratchSymbol is the one BSS buffer proven to need no zeroing: Go
	// 1.26's entropy scratch memory, whose contents the entropy source
	// "doesn't care about" (crypto/internal/fips140/drbg/rand.go), 32 MiB.
	scratchSymbol = "crypto/internal/fips140/drbg.memory"
)

// Skip is the range of the BSS cpuinit leaves unzeroed: the scratch buffer
// at addr, size bytes, narrowed to whole words; [0, 0) when the image has
// none or it does not lie within the BSS.
func Skip(sp Span, addr, size uint64) (start, end uint64) {
	start, end = (addr+3)&^3, (addr+size)&^3
	if size == 0 || start < sp.BSS || end > sp.EndBSS || start >= end {
		return 0, 0
	}
	return start, end
}

// Section is what the layout check needs of an ELF section header.
type Section struct {
	Name       string
	Addr, Size uint64
	Align      uint64
	Write      bool
	NoBits     bool
}

// Span is the writable initialised data [Start, End), End rounded up to a
// word, and the BSS after it.
type Span struct {
	Start, End         uint64
	BSS, EndBSS        uint64
	Sections           []string // the writable PROGBITS sections, in address order
	BSSSections        []string
	SymbolFileOffset   int64  // where hotSpan's two words are in the file
	SkipStart, SkipEnd uint64 // the BSS cpuinit leaves unzeroed (Skip)
	SkipFileOffset     int64  // where bssSkip's two words are in the file
}

func (s Span) String() string {
	return fmt.Sprintf("span %#x-%#x (%d bytes: %s), bss %#x-%#x (%d bytes: %s), %d of them not zeroed at boot (%s)",
		s.Start, s.End, s.End-s.Start, strings.Join(s.Sections, " "),
		s.BSS, s.EndBSS, s.EndBSS-s.BSS, strings.Join(s.BSSSections, " "),
		s.SkipEnd-s.SkipStart, scratchSymbol)
}

// Layout finds the span in the allocated sections and checks it against the
// linker's symbols (runtime.edata, runtime.bss, runtime.enoptrbss).
func Layout(secs []Section, syms map[string]uint64) (Span, error) {
	secs = slices.Clone(secs)
	slices.SortFunc(secs, func(a, b Section) int { return cmp.Compare(a.Addr, b.Addr) })
	var sp Span
	var prog, bss []Section
	for _, s := range secs {
		switch {
		case s.Write && !s.NoBits:
			prog = append(prog, s)
		case s.Write && s.NoBits:
			bss = append(bss, s)
		}
	}
	if len(prog) == 0 || len(bss) == 0 {
		return sp, errors.New("no writable PROGBITS or no NOBITS section")
	}
	sp.Start, sp.End = prog[0].Addr, prog[0].Addr
	for _, s := range prog {
		if s.Addr-sp.End >= max(s.Align, 1) {
			return sp, fmt.Errorf("gap of %d bytes before %s at %#x: the writable data is not one span", s.Addr-sp.End, s.Name, s.Addr)
		}
		sp.End = s.Addr + s.Size
		sp.Sections = append(sp.Sections, s.Name)
	}
	sp.BSS, sp.EndBSS = bss[0].Addr, bss[0].Addr
	for _, s := range bss {
		sp.EndBSS = s.Addr + s.Size
		sp.BSSSections = append(sp.BSSSections, s.Name)
	}
	for _, s := range secs {
		inSpan := s.Addr < sp.End && s.Addr+s.Size > sp.Start
		if inSpan && !(s.Write && !s.NoBits) {
			return sp, fmt.Errorf("%s at %#x lies inside the writable span %#x-%#x", s.Name, s.Addr, sp.Start, sp.End)
		}
		if s.Addr >= sp.End && !(s.Write && s.NoBits) && s.Size > 0 {
			return sp, fmt.Errorf("%s at %#x comes after the writable data: only BSS may", s.Name, s.Addr)
		}
		if s.Write && s.NoBits && s.Addr < sp.End {
			return sp, fmt.Errorf("BSS section %s at %#x lies below the end of the writable data %#x", s.Name, s.Addr, sp.End)
		}
	}
	for name, want := range map[string]uint64{"runtime.edata": sp.End, "runtime.bss": sp.BSS, "runtime.enoptrbss": sp.EndBSS} {
		got, ok := syms[name]
		if !ok {
			return sp, fmt.Errorf("no symbol %s", name)
		}
		if got != want {
			return sp, fmt.Errorf("%s is %#x, the sections say %#x", name, got, want)
		}
	}
	// cpuinit copies and zeroes whole words: the span's end is rounded up
	// into the padding before the BSS
	sp.End = (sp.End + 3) &^ 3
	if sp.Start%4 != 0 || sp.BSS%4 != 0 || sp.EndBSS%4 != 0 || sp.End > sp.BSS {
		return sp, fmt.Errorf("span %#x-%#x or bss %#x-%#x not word aligned", sp.Start, sp.End, sp.BSS, sp.EndBSS)
	}
	if n := sp.End - sp.Start; n > saveSize-saveHeader {
		return sp, fmt.Errorf("span of %d bytes does not fit the save area (%d bytes)", n, saveSize-saveHeader)
	}
	return sp, nil
}

// Apply reads image, checks its layout and, when patch is set, writes the
// span into hotSpan; then it checks that hotSpan holds the span.
func Apply(image string, patch bool) (Span, error) {
	f, err := elf.Open(image)
	if err != nil {
		return Span{}, err
	}
	defer f.Close()
	var secs []Section
	for _, s := range f.Sections {
		if s.Flags&elf.SHF_ALLOC == 0 || (s.Type != elf.SHT_PROGBITS && s.Type != elf.SHT_NOBITS) {
			continue
		}
		secs = append(secs, Section{Name: s.Name, Addr: s.Addr, Size: s.Size, Align: s.Addralign,
			Write: s.Flags&elf.SHF_WRITE != 0, NoBits: s.Type == elf.SHT_NOBITS})
	}
	all, err := f.Symbols()
	if err != nil {
		return Span{}, err
	}
	syms := map[string]uint64{}
	var spanSym, skipSym, scratch *elf.Symbol
	for i, s := range all {
		syms[s.Name] = s.Value
		switch s.Name {
		case spanSymbol:
			spanSym = &all[i]
		case skipSymbol:
			skipSym = &all[i]
		case scratchSymbol:
			scratch = &all[i]
		}
	}
	sp, err := Layout(secs, syms)
	if err != nil {
		return sp, err
	}
	if spanSym == nil || spanSym.Size != 8 || int(spanSym.Section) >= len(f.Sections) {
		return sp, fmt.Errorf("no 8-byte symbol %s (is the image built with tag linkcpuinit?)", spanSymbol)
	}
	home := f.Sections[spanSym.Section]
	if home.Type != elf.SHT_PROGBITS {
		return sp, fmt.Errorf("%s is in %s, not in loaded data", spanSymbol, home.Name)
	}
	sp.SymbolFileOffset = int64(home.Offset + spanSym.Value - home.Addr)
	if skipSym == nil || skipSym.Size != 8 || int(skipSym.Section) >= len(f.Sections) || f.Sections[skipSym.Section].Type != elf.SHT_PROGBITS {
		return sp, fmt.Errorf("no 8-byte symbol %s in loaded data", skipSymbol)
	}
	skipHome := f.Sections[skipSym.Section]
	sp.SkipFileOffset = int64(skipHome.Offset + skipSym.Value - skipHome.Addr)
	if scratch != nil {
		sp.SkipStart, sp.SkipEnd = Skip(sp, scratch.Value, scratch.Size)
	}
	f.Close()
	want := binary.LittleEndian.AppendUint32(binary.LittleEndian.AppendUint32(nil, uint32(sp.Start)), uint32(sp.End))
	wantSkip := binary.LittleEndian.AppendUint32(binary.LittleEndian.AppendUint32(nil, uint32(sp.SkipStart)), uint32(sp.SkipEnd))
	if patch {
		w, err := os.OpenFile(image, os.O_WRONLY, 0)
		if err != nil {
			return sp, err
		}
		_, err = w.WriteAt(want, sp.SymbolFileOffset)
		if err == nil {
			_, err = w.WriteAt(wantSkip, sp.SkipFileOffset)
		}
		if cerr := w.Close(); err == nil {
			err = cerr
		}
		if err != nil {
			return sp, err
		}
	}
	r, err := os.Open(image)
	if err != nil {
		return sp, err
	}
	defer r.Close()
	got := make([]byte, 8)
	if _, err := r.ReadAt(got, sp.SymbolFileOffset); err != nil {
		return sp, err
	}
	if string(got) != string(want) {
		return sp, fmt.Errorf("%s holds %#x-%#x, not the span %#x-%#x (run hotspan without -check after linking)",
			spanSymbol, binary.LittleEndian.Uint32(got), binary.LittleEndian.Uint32(got[4:]), sp.Start, sp.End)
	}
	if _, err := r.ReadAt(got, sp.SkipFileOffset); err != nil {
		return sp, err
	}
	if string(got) != string(wantSkip) {
		return sp, fmt.Errorf("%s holds %#x-%#x, not %#x-%#x (run hotspan without -check after linking)",
			skipSymbol, binary.LittleEndian.Uint32(got), binary.LittleEndian.Uint32(got[4:]), sp.SkipStart, sp.SkipEnd)
	}
	return sp, nil
}
