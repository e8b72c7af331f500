//go:build tamago

package kernel

import (
	"runtime/goos"

	"github.com/hotrestart/tamago-hr/kernel/bootrec"
)

// installExitHook turns a runtime exit (a fatal error: out of memory, a
// concurrent map write, a panic nobody recovered) into a recorded site
// restart instead of a halted board. The traceback printed before it is in
// the crash log. It runs in the dying runtime: no allocation.
func installExitHook() {
	goos.Exit = func(code int32) {
		print("hr: runtime exit ", code, ": site restart\n")
		fatalSys.recordFatal("fatal runtime error")
		hw.WarmReset()
	}
}

// recordFatal is recordIntent on the exception and fatal-error paths.
func (k *system) recordFatal(why string) {
	if k != nil && k.recs != nil {
		// a line half typed on the UART: the next boot refuses its rest,
		// as after any way down (discardRestartTyping)
		cut := k.serial != nil && k.serial.HalfLine()
		k.recs.IntendFatal(bootrec.PathWarm, bootrec.SiteAuto, why, k.persistentClock(), cut)
	}
}
