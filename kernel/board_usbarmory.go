//go:build usbarmory

package kernel

import (
	board "github.com/hotrestart/tamago-hr/board/mk2"
	"github.com/hotrestart/tamago-hr/kernel/trap"
)

// hw is the concrete board; printk (kernel/trap) reaches its ConsoleTx
// from this package's initialisation on (trap.Console), then through the
// hooks the boot installs (trapHooks).
var hw = board.Hardware

// The UART for printk before Main: a panic in a later package's init is
// printed, not kept in the early buffer of a runtime that dies.
func init() { trap.Console(hw.ConsoleTx) }

var _ Board = board.Hardware
