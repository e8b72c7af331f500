package imx6

import "github.com/hotrestart/tamago-hr/board/internal/reg"

// mmio runs internal/seq's register sequences on the hardware.
type mmio struct{}

func (mmio) Read16(addr uint32) uint16       { return reg.Read16(addr) }
func (mmio) Write16(addr uint32, val uint16) { reg.Write16(addr, val) }
func (mmio) Read32(addr uint32) uint32       { return reg.Read32(addr) }
func (mmio) Write32(addr uint32, val uint32) { reg.Write32(addr, val) }
