//go:build !tamago

package kernel

// The kernel also builds on the host, for its tests (kernel_test.go): there
// is no board there (a test installs a fake one), no CPU exception vectors
// and no runtime exit hook.
var hw Board

func installFaultHandler()      {}
func installExitHook()          {}
func trackActor(bool)           {}
func installTrapSystem(*system) {}

func undefinedInstruction() { panic("undefined instruction (host build)") }
