//go:build tamago

package trap

import "runtime/goos"

// installExitHook turns a runtime exit (a fatal error: out of memory, a
// concurrent map write, a panic nobody recovered) into a recorded site
// restart instead of a halted board. The traceback printed before it is in
// the crash log. It runs in the dying runtime: no allocation.
func installExitHook() {
	goos.Exit = exit
}

// exit is goos.Exit once Install ran.
func exit(code int32) {
	print("hr: runtime exit ", code, ": site restart\n")
	if hooks.Fatal != nil {
		hooks.Fatal("fatal runtime error")
	}
	hooks.Reset()
}
