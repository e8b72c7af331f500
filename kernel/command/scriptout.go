package command

import "io"

// ScriptOut is the output the startup script's commands write to: a
// command that goes down asks it whether the script asked (FromScript,
// Machine.GoDown).
type ScriptOut struct{ io.Writer }

// FromScript reports whether a command's output is the startup script's.
func FromScript(out io.Writer) bool {
	_, ok := out.(ScriptOut)
	return ok
}
