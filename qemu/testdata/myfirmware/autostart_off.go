//go:build !autostart

package main

import "github.com/hotrestart/tamago-hr/kernel"

// autostart is empty in the default build: the tests start the odometer
// with arun (autostart.go, `-tags autostart`, starts one at boot).
var autostart []kernel.Start
