package mk2

import (
	_ "unsafe"

	"github.com/hotrestart/tamago-hr/board/internal/imx6"
)

// DRAM window (IMX6ULLRM 2.2, MMDC at 0x80000000; 512 MiB fitted) and what
// the image keeps at its top (board/internal/imx6/layout.go): the
// persistent bank, the upgrade staging area and the hot-reboot save area.
const (
	DRAMStart  = 0x80000000
	DRAMSize   = 0x20000000
	BankStart  = DRAMStart + DRAMSize - imx6.BankReserve
	StageStart = BankStart - imx6.StageSize
	SaveStart  = StageStart - imx6.SaveSize
)

// ramSize ends the runtime's RAM at the save area (tag linkramsize drops
// tamago's 512 MiB). cpuinit reads it before any Go runs: a constant.
//
//go:linkname ramSize runtime/goos.RamSize
var ramSize uint = SaveStart - DRAMStart
