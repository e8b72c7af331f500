package main

import (
	"debug/elf"
	"encoding/binary"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
)

// imx writes OUT/NAME.bin, the ELF as a flat binary from textStart holding
// every allocated PROGBITS section, and OUT/NAME.imx, its i.MX boot image
// whose DCD (tamago's imximage.cfg) sets up clocks and DRAM before the boot
// ROM loads it (tamago-example's recipe). The BSS is not shipped: the
// image's cpuinit zeroes it at every boot. The IVT entry (offset 4) is the
// ELF entry point, _rt0_arm_tamago.
func (b *builder) imx(elfFile string) error {
	o := &b.o
	bin, entry, err := flatBinary(elfFile)
	if err != nil {
		return fmt.Errorf("imx: %w", err)
	}
	binFile, imxFile := o.file(".bin"), o.file(".imx")
	if err := os.WriteFile(binFile, bin, 0o644); err != nil {
		return err
	}
	tamagoDir, err := goList(o.Dir, "-m", "-f", "{{.Dir}}", tamago)
	if err != nil {
		return err
	}
	log, err := os.Create(o.file(".mkimage.log"))
	if err != nil {
		return err
	}
	defer log.Close()
	mk := exec.Command("mkimage", "-n", filepath.Join(tamagoDir, "board", dcdBoard[o.Target], "imximage.cfg"),
		"-T", "imximage", "-e", fmt.Sprintf("%#x", textStart), "-d", binFile, imxFile)
	mk.Stdout, mk.Stderr = log, b.errOut
	if err := mk.Run(); err != nil {
		return toolMissing(err, "mkimage", "u-boot-tools")
	}
	img, err := os.ReadFile(imxFile)
	if err != nil {
		return err
	}
	if len(img) < 8 {
		return fmt.Errorf("imx: %s is too short for an IVT", imxFile)
	}
	binary.LittleEndian.PutUint32(img[4:], entry)
	if err := os.WriteFile(imxFile, img, 0o644); err != nil {
		return err
	}
	fmt.Fprintf(b.out, "imx: %s (%d bytes; %s %d bytes; entry %#08x)\n", shown(imxFile), len(img), shown(binFile), len(bin), entry)
	return nil
}

// flatBinary lays the ELF's allocated PROGBITS sections out from textStart,
// with zeroes between them, as objcopy -O binary does, and returns it with
// the ELF's entry point. The first section must be at textStart.
func flatBinary(file string) ([]byte, uint32, error) {
	f, err := elf.Open(file)
	if err != nil {
		return nil, 0, err
	}
	defer f.Close()
	var secs []*elf.Section
	first, end := uint64(0), uint64(0)
	for _, s := range f.Sections {
		if s.Type != elf.SHT_PROGBITS || s.Flags&elf.SHF_ALLOC == 0 || s.Size == 0 {
			continue
		}
		if first == 0 || s.Addr < first {
			first = s.Addr
		}
		end = max(end, s.Addr+s.Size)
		secs = append(secs, s)
	}
	if len(secs) == 0 {
		return nil, 0, fmt.Errorf("%s: no loaded section", file)
	}
	if first != textStart {
		return nil, 0, fmt.Errorf("first section at %#x, not %#x", first, textStart)
	}
	bin := make([]byte, end-first)
	for _, s := range secs {
		data, err := s.Data()
		if err != nil {
			return nil, 0, fmt.Errorf("%s: %w", s.Name, err)
		}
		copy(bin[s.Addr-first:], data)
	}
	return bin, uint32(f.Entry), nil
}

// dcdBoard is where tamago keeps each target's DCD (imximage.cfg: clocks and
// DRAM set up by the boot ROM before it loads the image).
var dcdBoard = map[string]string{"usbarmory": "usbarmory/mk2", "mx6ullevk": "nxp/mx6ullevk"}
