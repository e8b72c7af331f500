//go:build mx6ullevk

package kernel

import board "github.com/hotrestart/tamago-hr/board/mx6ullevk"

// hw is the concrete board, so that printk (which runs before package
// initialisation and in a dying runtime) calls it directly.
var hw = board.Hardware

var _ Board = board.Hardware
