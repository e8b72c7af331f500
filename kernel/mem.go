package kernel

import (
	_ "unsafe"

	"github.com/hotrestart/tamago-hr/kernel/tunables"
)

// Memory layout (see README "RAM layout"): the Go runtime owns DRAM from
// dramStart up to ramEnd; above it, 1 MiB aligned because the MMU maps DRAM
// in 1 MiB sections, sit the hot-reboot save area (the board's HotSaveSize,
// found by cpuinit right at ramEnd), the upgrade staging area
// (kern.upgradeArea MiB, kernel/upgrade) and the persistent bank, which no
// boot path writes.
//
//	dramStart ... ramEnd | save area (saveSize) | staging (stageSize) | bank (bankReserve) | dramEnd
const (
	mib         = 1 << 20
	bankBytes   = (tunables.RambankSize + tunables.PageSize - 1) / tunables.PageSize * tunables.PageSize
	bankReserve = (bankBytes + mib - 1) / mib * mib
	dramEnd     = dramStart + dramSize
	bankStart   = dramEnd - bankReserve
	stageSize   = tunables.UpgradeArea * mib
	stageStart  = bankStart - stageSize
	saveStart   = stageStart - saveSize
	ramEnd      = saveStart
)

// ramSize shrinks the runtime's window (tag linkramsize). It is read by the
// CPU init code before any Go runs, so it must be a constant expression.
//
//go:linkname ramSize runtime/goos.RamSize
var ramSize uint = ramEnd - dramStart
