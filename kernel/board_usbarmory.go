//go:build usbarmory

package kernel

import board "github.com/hotrestart/tamago-hr/board/mk2"

// hw is the concrete board; printk (kernel/trap) reaches its ConsoleTx
// through the hooks the boot installs (trapHooks).
var hw = board.Hardware

var _ Board = board.Hardware
