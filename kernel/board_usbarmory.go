//go:build usbarmory

package main

import board "github.com/hotrestart/tamago-hr/board/mk2"

var (
	boardName      = board.Name
	boardConsole   = board.Console
	boardTx        = board.ConsoleTx
	boardMapBank   = board.MapBank
	boardWarmReset = board.WarmReset
	boardCause     = board.ResetCause
	boardExit      = board.Exit
	boardLED       = board.LED
	boardEmulated  = board.Emulated
	boardWatchdog  = board.EnableWatchdog
	boardService   = board.ServiceWatchdog
	boardHotReboot = board.HotReboot
)

const (
	dramStart = board.DRAMStart
	dramSize  = board.DRAMSize
	saveSize  = board.HotSaveSize
)
