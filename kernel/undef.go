//go:build tamago

package kernel

// undefinedInstruction executes UDF (undef_arm.s).
func undefinedInstruction()
