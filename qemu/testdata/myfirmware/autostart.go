//go:build autostart

package main

import (
	"time"

	"github.com/hotrestart/tamago-hr/actors"
	"github.com/hotrestart/tamago-hr/kernel"
)

// autostart starts an odometer in group 3 on a cold boot, with its own
// restart policy (two failures a minute before a site restart); a warm
// boot brings it back from the bank instead.
var autostart = []kernel.Start{{Group: 3, Program: "odometer",
	Policy: func(p *actors.Policy) { p.MaxBadness, p.Interval = 2, time.Minute }}}
