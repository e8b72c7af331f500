// Package statedecl writes the manifest lines that record the state types
// a firmware's programs declare (actors.WithState) and the explicit
// migrations it registers (actors.RegisterMigration), read from the Go
// source of the firmware's packages with their types (the build's tags and
// target), so that a running image can refuse, before the switch, an
// upgrade whose types cannot take a state in its bank:
//
//	state.NAME=<layout>[ <layout>…]   each layout declared for state NAME, hex
//	statemig.N=<old layout> <new layout>
//
// A layout is the descriptor a state block keeps (actors.Layout.Encode).
// A declaration whose name is not a constant, or whose type cannot be
// state, is an error naming it: the build stops.
//
// tools/hrbuild calls Lines after the build, before the manifest is added
// to the ELF.
package statedecl
