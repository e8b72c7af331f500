//go:build usbarmory

package main

import board "github.com/hotrestart/tamago-hr/board/mk2"

var hw = board.Hardware

const (
	dramStart = board.DRAMStart
	dramSize  = board.DRAMSize
	saveSize  = board.HotSaveSize
)
