// Package seq holds the i.MX6UL/ULL register sequences that are plain Go:
// written against a Bus, so that host tests check each sequence through a
// fake MMIO, and the board (internal/imx6) runs them on internal/reg.
//
// References: i.MX 6ULL Applications Processor Reference Manual (IMX6ULLRM)
// Rev. 1, 11/2017; ARM Generic Interrupt Controller Architecture
// Specification v2.0 (GICv2).
package seq

// Bus is exact-width MMIO: one access per call, in program order.
type Bus interface {
	Read16(addr uint32) uint16
	Write16(addr uint32, val uint16)
	Read32(addr uint32) uint32
	Write32(addr uint32, val uint32)
}
