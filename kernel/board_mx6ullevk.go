//go:build mx6ullevk

package kernel

import board "github.com/hotrestart/tamago-hr/board/mx6ullevk"

var hw = board.Hardware

const (
	dramStart = board.DRAMStart
	dramSize  = board.DRAMSize
	saveSize  = board.HotSaveSize
)
