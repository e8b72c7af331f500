//go:build mx6ullevk

package kernel

import board "github.com/hotrestart/tamago-hr/board/mx6ullevk"

// hw is the concrete board; printk (kernel/trap) reaches its ConsoleTx
// through the hooks the boot installs (trapHooks).
var hw = board.Hardware

var _ Board = board.Hardware
