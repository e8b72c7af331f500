package imx6

import (
	"runtime"
	"unsafe"

	"github.com/usbarmory/tamago/soc/nxp/imx6ul"
)

// saveHeader is the start of the hot-reboot save area (layout.go), right
// above the runtime's RAM (runtime/goos.RamStart+RamSize), which no reset
// clears; cpuinit's pristine copy of the image's writable span follows it.
// It is defined here once, for the Go code and for cpuinit_arm.s, which
// reads and writes it through go_asm.h (saveHeader_state, …,
// saveHeader__size, count_lo, count_hi) and the constants below
// (const_stateHot, …). Every field is a 32-bit word.
type saveHeader struct {
	state  uint32 // stateSaved: the copy is this image's; stateHot: a hot boot is asked for; 0: no copy
	length uint32 // the copy's length in bytes, the span's
	start  uint32 // the span's start address
	sum    uint32 // the copy's checksum (cpuinit_arm.s: sum = ror(sum, 31) + word)
	result uint32 // the last hot restore: resultOK, resultBad (reset, to report), resultSeen (reported), 0
	wdog   stamp  // the last WDOG1 service (wdog.go)

	// Bytes cpuinit wrote to DRAM with the caches off at this boot (the
	// span copied or restored, the BSS zeroed) and the BSS bytes it left
	// as they were (bssSkip).
	copied, zeroed, skipped uint32

	routine      uint32 // bytes the copy routine of the last upgrade switch copied (upgrade.go)
	routineMagic uint32 // routineValid when routine is set
	hand         stamp  // the last hand-over to another boot (handstamp.go)
	entry, done  count  // the counter at cpuinit's entry and end
	ready        count  // the counter at this package's init (stampInit)
	_            [10]uint32
}

// saveHeaderSize is where the pristine copy starts; tools/hotspan assumes
// it too (it may not import the board), so the size is checked here.
const saveHeaderSize = 128

var _ = [1]struct{}{}[unsafe.Sizeof(saveHeader{})-saveHeaderSize] // compile-time: the header is saveHeaderSize bytes

// Values of the header's state, result and magic words: ASCII, so that a
// RAM dump reads them.
const (
	stateHot     = 0x21544f48 // "HOT!"
	stateSaved   = 0x44564153 // "SAVD"
	resultOK     = 0x594b4f48 // "HOKY": the last hot boot restored and verified the span
	resultBad    = 0x21444142 // "BAD!": its check failed, cpuinit reset the SoC (cpuinit_arm.s)
	resultSeen   = 0x52444142 // "BADR": BAD, reported by this boot
	stampValid   = 0x54534457 // "WDST": wdog is set
	handValid    = 0x444e4148 // "HAND": hand is set
	routineValid = 0x59504f43 // "COPY": routine is set
)

// count is a 64-bit generic timer count (CNTPCT, ARM ARM B4.1.30) as two
// words, the low one first, as cpuinit stores it (MRRC).
type count struct{ lo, hi uint32 }

func (c *count) set(v uint64) { c.lo, c.hi = uint32(v), uint32(v>>32) }
func (c *count) get() uint64  { return uint64(c.hi)<<32 | uint64(c.lo) }

// stamp is a count with the magic that says it is valid.
type stamp struct {
	at    count
	magic uint32
}

// setNow writes the generic timer's count now, then valid into magic
// (cleared first, so that a reset between the stores leaves no half stamp).
func (s *stamp) setNow(valid uint32) {
	s.magic = 0
	s.at.set(imx6ul.ARM.Counter())
	s.magic = valid
}

// saveArea is the save area's header, at the end of the runtime's RAM.
func saveArea() *saveHeader {
	_, end := runtime.MemRegion()
	return (*saveHeader)(unsafe.Add(unsafe.Pointer(nil), uintptr(end)))
}

// pristine is cpuinit's copy of the span, n bytes after the header.
func (h *saveHeader) pristine(n uint32) []byte {
	return unsafe.Slice((*byte)(unsafe.Add(unsafe.Pointer(h), saveHeaderSize)), int(n))
}
