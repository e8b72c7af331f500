package upgrade

import (
	"bytes"
	"debug/elf"
	"encoding/binary"
)

// testELF describes a small ARM executable for the tests: one executable
// segment, one writable segment with a BSS tail and, unless manifest is nil,
// a manifest section. Fields are mutated by tests to break one thing at a time.
type testELF struct {
	machine  elf.Machine
	typ      elf.Type
	entry    uint32
	text     uint32 // text segment address
	data     uint32 // data segment address
	bss      uint32 // bytes zeroed after the data
	manifest []byte
	textSize uint32 // text segment size in the program header; 0: the real 64 bytes
}

func goodELF() testELF {
	return testELF{
		machine: elf.EM_ARM, typ: elf.ET_EXEC,
		entry: 0x80010010, text: 0x80010000, data: 0x80020000, bss: 0x3000,
		manifest: testManifest("v2").Marshal(),
	}
}

var testArea = Area{Start: 0x80010000, End: 0x9fe00000}

func testManifest(version string) Manifest {
	return Manifest{
		KeyVersion: version, KeyBoard: "mx6ullevk", "pmm.layout": "1", "records": "1",
		"pmm.rambankSize": "1048576", "pmm.maxBlocks": "30", "hrCtrl.maxActors": "64",
		"hrCtrl.maxGroups": "16", "kern.dmesgSize": "16384", "hrCtrl.maxBadness": "3",
	}
}

// bytes lays out: ELF header, 2 program headers, .text (64 B), .data (32 B),
// manifest, .shstrtab, then the section headers, as Go's linker does.
func (e testELF) bytes() []byte {
	le := binary.LittleEndian
	text := bytes.Repeat([]byte{0xe1, 0xa0, 0x00, 0x00}, 16) // mov r0, r0
	data := bytes.Repeat([]byte{0xd5}, 32)
	shstr := []byte("\x00.text\x00.data\x00" + ManifestSection + "\x00.shstrtab\x00")
	const ehsize, phsize, shsize = 52, 32, 40
	textOff := uint32(ehsize + 2*phsize)
	dataOff := textOff + uint32(len(text))
	manOff := dataOff + uint32(len(data))
	strOff := manOff + uint32(len(e.manifest))
	shOff := strOff + uint32(len(shstr))

	var b bytes.Buffer
	w := func(v ...any) {
		for _, x := range v {
			_ = binary.Write(&b, le, x)
		}
	}
	nsec := uint16(5)
	if e.manifest == nil {
		nsec = 4
	}
	b.Write([]byte{0x7f, 'E', 'L', 'F', byte(elf.ELFCLASS32), byte(elf.ELFDATA2LSB), 1, 0})
	b.Write(make([]byte, 8))
	w(uint16(e.typ), uint16(e.machine), uint32(1), e.entry, uint32(ehsize), shOff,
		uint32(0x05000200), uint16(ehsize), uint16(phsize), uint16(2), uint16(shsize), nsec, nsec-1)
	// program headers: type, offset, vaddr, paddr, filesz, memsz, flags, align
	tsize := uint32(len(text))
	if e.textSize != 0 {
		tsize = e.textSize
	}
	w(uint32(elf.PT_LOAD), textOff, e.text, e.text, tsize, tsize, uint32(elf.PF_R|elf.PF_X), uint32(0x1000))
	w(uint32(elf.PT_LOAD), dataOff, e.data, e.data, uint32(len(data)), uint32(len(data))+e.bss, uint32(elf.PF_R|elf.PF_W), uint32(0x1000))
	b.Write(text)
	b.Write(data)
	b.Write(e.manifest)
	b.Write(shstr)
	// section headers: name, type, flags, addr, offset, size, link, info, align, entsize
	w(make([]byte, shsize))
	w(uint32(1), uint32(elf.SHT_PROGBITS), uint32(elf.SHF_ALLOC|elf.SHF_EXECINSTR), e.text, textOff, uint32(len(text)), uint32(0), uint32(0), uint32(4), uint32(0))
	w(uint32(7), uint32(elf.SHT_PROGBITS), uint32(elf.SHF_ALLOC|elf.SHF_WRITE), e.data, dataOff, uint32(len(data)), uint32(0), uint32(0), uint32(4), uint32(0))
	if e.manifest != nil {
		w(uint32(13), uint32(elf.SHT_PROGBITS), uint32(0), uint32(0), manOff, uint32(len(e.manifest)), uint32(0), uint32(0), uint32(1), uint32(0))
	}
	w(uint32(14+len(ManifestSection)), uint32(elf.SHT_STRTAB), uint32(0), uint32(0), strOff, uint32(len(shstr)), uint32(0), uint32(0), uint32(1), uint32(0))
	return b.Bytes()
}
