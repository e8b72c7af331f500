package imx6

import (
	"errors"
	"fmt"
	"unsafe"

	"github.com/hotrestart/tamago-hr/board/loadable"
)

// ErrNoPristine means the running image has no pristine copy of its
// writable data (hot reboots are off), so it cannot be rebuilt in memory.
var ErrNoPristine = errors.New("no pristine copy of the running image's data (hot reboot unavailable)")

// RunningImage describes the running image as it was loaded, rebuilt from
// memory: text and read-only data from the link address up to the writable
// span as they are now (nothing writes them), the writable span from the
// pristine copy cpuinit keeps in the save area, and the BSS as zeroes. The
// returned slices alias memory; entry is _rt0_arm_tamago. For a rollback:
// the running image is staged as the previous one.
func (SoC) RunningImage() (entry uint32, segs []loadable.Segment, err error) {
	sa := saveArea()
	if sa.state != stateSaved || hotSpan[0] == spanUnset {
		return 0, nil, ErrNoPristine
	}
	text, bssEnd, entry, _ := imageAddrs()
	spanStart, spanEnd := hotSpan[0], hotSpan[1]
	if sa.start != spanStart || sa.length != spanEnd-spanStart {
		return 0, nil, fmt.Errorf("save area holds %d bytes at %#x, not this image's span", sa.length, sa.start)
	}
	ro := unsafe.Slice((*byte)(unsafe.Add(unsafe.Pointer(nil), uintptr(text))), int(spanStart-text))
	pristine := sa.pristine(spanEnd - spanStart)
	return entry, []loadable.Segment{
		{Addr: text, Data: ro, MemSize: spanStart - text},
		{Addr: spanStart, Data: pristine, MemSize: bssEnd - spanStart},
	}, nil
}

// maxRoutine bounds the copy routine's code (routineEnd marks its end).
const maxRoutine = 512

// routineEnd is the word that follows the copy routine's last instruction
// (an undefined instruction: never executed).
const routineEnd = 0xe7f5def0

// CopyRoutine returns the copy routine's machine code, to be placed outside
// both images (the staging area): it is position independent (branches
// only, no literal pool) and runs with the MMU and caches off. Called with
// R0 = a descriptor (board/loadable: {entry, n, n × {dst, src, filesz,
// memsz}}, words, dst, src and filesz multiples of 4: it copies with
// LDM/STM, and unaligned multiple-word accesses fault with the MMU off), it
// copies each segment,
// invalidates the I-cache and branch predictor and jumps to entry. It does
// not zero [filesz, memsz): that is the BSS, which the new image's cpuinit
// zeroes at every boot; zeroing it here too would write it twice, uncached.
func (SoC) CopyRoutine() ([]byte, error) {
	_, _, _, routine := imageAddrs()
	code := unsafe.Slice((*uint32)(unsafe.Add(unsafe.Pointer(nil), uintptr(routine))), maxRoutine/4)
	for i, w := range code {
		if w == routineEnd {
			return unsafe.Slice((*byte)(unsafe.Pointer(&code[0])), 4*i), nil
		}
	}
	return nil, fmt.Errorf("copy routine: no end mark within %d bytes", maxRoutine)
}

// imageAddrs returns linker addresses: the text's start, the BSS's end,
// _rt0_arm_tamago and the copy routine.
func imageAddrs() (text, enoptrbss, entry, routine uint32)

// BootStaged hands the board over to a staged image: like HotReboot
// (handOver: everything masked, GIC off, bus masters stopped by Quiesce,
// console drained, watchdog reloaded; handOff: caches cleaned and off, MMU
// off), then the copy routine at code, which
// the caller has placed outside both images, runs with the descriptor at
// desc. The save area is left as it is: the new image's cpuinit does not
// find the hot marker, so it boots as from a load and keeps its own
// pristine copy. It does not return.
func (s SoC) BootStaged(watchdogMs int, code, desc uint32) {
	d := (*[2]uint32)(unsafe.Add(unsafe.Pointer(nil), uintptr(desc)))
	// the count for stats only: a bad descriptor must not make it read far
	segs := unsafe.Slice((*[loadable.DescSegment / 4]uint32)(unsafe.Add(unsafe.Pointer(nil), uintptr(desc+loadable.DescHeader))), int(min(d[1], loadable.MaxSegments)))
	copied := uint32(0)
	for _, s := range segs {
		copied += s[2]
	}
	sa := saveArea()
	sa.routineMagic = 0
	sa.routine = copied
	sa.routineMagic = routineValid
	s.handOver(watchdogMs)
	handOff(code, desc)
}
