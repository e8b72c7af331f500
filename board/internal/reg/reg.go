// Package reg is the project's MMIO helper: tamago's internal/reg cannot be
// imported, and peripheral registers need accesses of an exact width that the
// compiler can neither merge nor drop, so the accessors are in assembly.
package reg

// Read16 returns the 16-bit register at addr.
func Read16(addr uint32) uint16

// Write16 stores val into the 16-bit register at addr with one STRH.
func Write16(addr uint32, val uint16)

// Read32 returns the 32-bit register at addr.
func Read32(addr uint32) uint32

// Write32 stores val into the 32-bit register at addr.
func Write32(addr uint32, val uint32)
