//go:build usbarmory

package kernel

import board "github.com/hotrestart/tamago-hr/board/mk2"

var hw = board.Hardware

const (
	dramStart = board.DRAMStart
	dramSize  = board.DRAMSize
	saveSize  = board.HotSaveSize
)
