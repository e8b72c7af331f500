//go:build tamago

package trap

// UndefinedInstruction executes an undefined instruction (undef_arm.s): in
// an actor it becomes a *Fault panic of that actor, which its group restart
// handles; anywhere else it restarts the site. `crash undef` and the
// examples' `undef` fault use it.
func UndefinedInstruction()
