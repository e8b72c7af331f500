package imx6

import (
	"unsafe"

	"github.com/usbarmory/tamago/arm"
	"github.com/usbarmory/tamago/soc/nxp/imx6ul"
)

// texNormalNonCacheable is TEX[2:0]=0b001 with C=0, B=0 in a short-descriptor
// section entry: Normal memory, outer and inner non-cacheable (ARM ARM
// ARMv7-A/R, B3.5.1 and B3.8.2). tamago has no TEX constant.
const texNormalNonCacheable = 1 << 12

// MapBank maps [start, end) as Normal non-cacheable memory and returns it as
// a byte slice. tamago maps DRAM above the runtime's window Strongly-ordered,
// where any unaligned access faults; Normal non-cacheable keeps every store
// on its way to DRAM (no dirty line can be lost at a reset) while allowing
// the unaligned accesses Go's copy and encoding/binary perform. start and end
// must be 1 MiB aligned: the MMU is programmed in sections.
func MapBank(start, end uint32) []byte {
	flags := arm.TTE_AP_001<<10 | texNormalNonCacheable | arm.TTE_SECTION | arm.TTE_EXECUTE_NEVER
	imx6ul.ARM.ConfigureMMU(start, end, 0, flags)
	barrier() // the new entries in effect before the first access
	return unsafe.Slice((*byte)(unsafe.Add(unsafe.Pointer(nil), uintptr(start))), int(end-start))
}
