package seq

import "fmt"

// DecodeMIDR names an ARM core from its Main ID Register (ARM ARM
// B4.1.105: implementer [31:24], variant [23:20], part [15:4], revision
// [3:0]), e.g. "Cortex-A7 r0p5 (MIDR 0x410fc075)": the revision decides
// which errata apply (the i.MX6UL/ULL has a Cortex-A7, part 0xc07).
func DecodeMIDR(midr uint32) string {
	part := "unknown core"
	if midr>>24 == 0x41 {
		switch midr >> 4 & 0xfff {
		case 0xc07:
			part = "Cortex-A7"
		case 0xc09:
			part = "Cortex-A9"
		case 0xc0f:
			part = "Cortex-A15"
		default:
			part = fmt.Sprintf("ARM part %#x", midr>>4&0xfff)
		}
	}
	return fmt.Sprintf("%s r%dp%d (MIDR %#08x)", part, midr>>20&0xf, midr&0xf, midr)
}
