package imx6

import "github.com/hotrestart/tamago-hr/board/tunables"

// The persistent bank sits at the top of DRAM, in its own 1 MiB sections
// (the MMU maps DRAM in sections, ARM ARM B3.5.1), the hot upgrade's staging
// area right below it, and the hot-reboot save area below that, right above
// the runtime's RAM, where cpuinit finds it (runtime/goos.RamStart+RamSize):
//
//	DRAM start ... runtime RAM end | save area (SaveSize) | staging (StageSize) | bank (BankReserve) | DRAM end
//
// Each board derives its addresses from these sizes and its DRAM window
// (layout.go in the board package); they are constants because the runtime
// reads its RAM size before any Go code runs.
const (
	mib = 1 << 20
	// BankSize is pmm.rambankSize in whole 4 KiB pages (bytes).
	BankSize = tunables.BankSize
	// BankReserve is the DRAM the bank takes: BankSize in whole MiB.
	BankReserve = (BankSize + mib - 1) / mib * mib
	// StageSize is the hot upgrade's staging area: kern.upgradeArea MiB.
	StageSize = tunables.UpgradeArea * mib
)
