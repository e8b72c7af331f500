package imx6

import (
	_ "unsafe" // go:linkname

	"github.com/hotrestart/tamago-hr/board/tunables"
)

// The memory layout of both boards, defined once. The persistent bank sits
// at the top of DRAM, in its own 1 MiB sections (the MMU maps DRAM in
// sections, ARM ARM B3.5.1), the hot upgrade's staging area right below it,
// and the hot-reboot save area below that, right above the runtime's RAM,
// where cpuinit finds it (runtime/goos.RamStart+RamSize):
//
//	DRAMStart ... runtime RAM end | save area (SaveSize) | staging (StageSize) | bank (BankReserve) | DRAM end
//
// They are constants because the runtime reads its RAM size before any Go
// code runs. Both boards have 512 MiB at the MMDC's base (IMX6ULLRM 2.2); a
// board with other DRAM would need its own DRAMSize.
const (
	mib       = 1 << 20
	DRAMStart = 0x80000000 // MMDC (IMX6ULLRM 2.2)
	DRAMSize  = 0x20000000 // 512 MiB fitted on the EVK and the Mk II
	// BankSize is pmm.rambankSize in whole 4 KiB pages (bytes).
	BankSize = tunables.BankSize
	// BankReserve is the DRAM the bank takes: BankSize in whole MiB.
	BankReserve = (BankSize + mib - 1) / mib * mib
	// StageSize is the hot upgrade's staging area: kern.upgradeArea MiB.
	StageSize = tunables.UpgradeArea * mib
	// SaveSize is the hot-reboot save area: the header (saveHeader) and
	// cpuinit's pristine copy of the image's writable data.
	SaveSize = 1 * mib

	BankStart  = DRAMStart + DRAMSize - BankReserve
	StageStart = BankStart - StageSize
	SaveStart  = StageStart - SaveSize
)

// ramSize ends the runtime's RAM at the save area (tag linkramsize drops
// tamago's 512 MiB). cpuinit reads it before any Go runs: a constant.
//
//go:linkname ramSize runtime/goos.RamSize
var ramSize uint = SaveStart - DRAMStart
