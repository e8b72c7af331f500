//go:build mx6ullevk

package main

import board "github.com/hotrestart/tamago-hr/board/mx6ullevk"

var hw = board.Hardware

const (
	dramStart = board.DRAMStart
	dramSize  = board.DRAMSize
	saveSize  = board.HotSaveSize
)
