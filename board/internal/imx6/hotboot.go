package imx6

import (
	"errors"
	"fmt"
	"runtime"
	"unsafe"

	"github.com/usbarmory/tamago/soc/nxp/imx6ul"

	"github.com/hotrestart/tamago-hr/board/internal/reg"
)

// SaveSize is the hot-reboot save area, which the image must reserve right
// above the runtime's RAM (runtime/goos.RamStart+RamSize): cpuinit keeps the
// pristine initialised data there.
const SaveSize = 1 << 20

// Save area header, see cpuinit_arm.s.
const (
	stateHot   = 0x21544f48 // "HOT!"
	stateSaved = 0x44564153 // "SAVD"
	resultOK   = 0x594b4f48 // "HOKY": the last hot boot restored and verified the span
	resultSeen = 0x52444142 // "BADR": the last hot boot failed its check and reset

	hdrState, hdrLen, hdrStart, hdrSum, hdrResult = 0, 1, 2, 3, 4
)

// spanUnset marks hotSpan before tools/hotspan patched the ELF.
const spanUnset = 0x5053484e // "NHSP"

// hotSpan is [start, end) of the image's writable initialised data, every
// writable PROGBITS section of the ELF. The linker has no symbol for its
// start (.go.buildinfo comes first and is named go:buildinfo), so
// tools/hotspan writes both words into the linked ELF and checks the layout
// (contiguous, BSS right after, fits the save area). cpuinit reads it before
// the span is restored: it is never written at run time.
var hotSpan = [2]uint32{spanUnset, spanUnset}

// RestoreReport says what cpuinit did with the writable data at this boot:
// "hot boot: N bytes at 0xX restored and verified", "saved N bytes at 0xX", or
// why hot reboots are off. Failed is true when the previous boot was a hot
// one whose restored data did not match the pristine checksum, so cpuinit
// reset the SoC through WDOG1 instead.
func RestoreReport() (report string, failed bool) {
	sa := saveArea()
	if hotSpan[0] == spanUnset {
		return "off: image not patched by tools/hotspan", false
	}
	n, at := sa[hdrLen], sa[hdrStart]
	switch {
	case sa[hdrState] != stateSaved:
		return fmt.Sprintf("off: %d bytes do not fit the %d-byte save area", hotSpan[1]-hotSpan[0], SaveSize), false
	case sa[hdrResult] == resultOK:
		return fmt.Sprintf("hot boot: %d bytes at %#x restored and verified", n, at), false
	case sa[hdrResult] == resultSeen:
		return fmt.Sprintf("saved %d bytes at %#x; the previous hot boot failed its check (WDOG1 reset)", n, at), true
	}
	return fmt.Sprintf("saved %d bytes at %#x", n, at), false
}

// GIC registers (ARM GIC Architecture Specification v2.0, 4.1.2).
const (
	GICD_CTLR = imx6ul.GIC_BASE + 0x1000 // 4.3.1 Distributor Control Register
	GICC_CTLR = imx6ul.GIC_BASE + 0x2000 // 4.4.1 CPU Interface Control Register
)

func cachesOff()
func jumpMMUOff(pc, r0 uint32)

func saveArea() *[8]uint32 {
	_, end := runtime.MemRegion()
	return (*[8]uint32)(unsafe.Add(unsafe.Pointer(nil), uintptr(end)))
}

// ErrNoHotReboot means this boot could not keep the pristine data copy.
var ErrNoHotReboot = errors.New("hot reboot unavailable: no pristine data copy")

// HotReboot restarts the image already in memory without a reset: the
// boot ROM, the DDR controller set-up and the image load are all skipped,
// and DRAM outside the runtime (the bank) is untouched. quiesce stops the
// board's bus masters. It returns only when the save area is not usable.
//
// Order matters on silicon, where caches and DMA are real: interrupts off at
// the distributor and the CPU interface, bus masters stopped, the watchdog
// reloaded, the data cache cleaned with allocation still on, then caches off
// and cleaned again (no line may survive to be hit when the next boot turns
// them back on), and only then the MMU off and the jump.
func HotReboot(quiesce func(), watchdogMs int) error {
	sa := saveArea()
	if sa[hdrState] != stateSaved {
		return ErrNoHotReboot
	}
	sa[hdrState] = stateHot
	handOver(quiesce, watchdogMs)
	_, _, entry, _ := imageAddrs()
	jumpMMUOff(entry, 0)
	return nil
}

// handOver readies the board for another boot without a reset: interrupts
// off at the distributor and the CPU interface, bus masters stopped by
// quiesce, the watchdog reloaded, the data cache cleaned with allocation
// still on, then caches off and cleaned again. The caller then jumps with
// the MMU off (jumpMMUOff).
func handOver(quiesce func(), watchdogMs int) {
	reg.Write32(GICD_CTLR, 0)
	reg.Write32(GICC_CTLR, 0)
	if quiesce != nil {
		quiesce()
	}
	if watchdogMs > 0 {
		imx6ul.WDOG1.Service(watchdogMs)
	}
	imx6ul.ARM.FlushDataCache()
	cachesOff()
	imx6ul.ARM.FlushDataCache()
}

// bssCanary is a BSS word nothing writes: it reads zero only because
// cpuinit zeroed the BSS at this boot (tests poison it in RAM before the CPU
// starts and expect 0).
var bssCanary uint32

// BSSCanary returns bssCanary: non-zero means the BSS was not zeroed.
func BSSCanary() uint32 { return bssCanary }
