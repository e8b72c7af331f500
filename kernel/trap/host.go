//go:build !tamago

package trap

// On the host (the kernel's and this package's tests) there are no CPU
// exception vectors and no runtime exit hook: Install keeps the hooks and
// printk works as on the board.

func installHandlers() {}

// TrackActor does nothing: no fault can be redirected on the host.
func TrackActor(bool) {}

// UndefinedInstruction panics: there is no UDF to execute on the host.
func UndefinedInstruction() { panic("undefined instruction (host build)") }
