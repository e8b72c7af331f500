package kernel

import "io"

// scriptOut is the output the startup script's commands write to: a
// command that goes down asks it whether the script asked (goDown step 1).
type scriptOut struct{ io.Writer }

// fromScript reports whether a command's output is the startup script's.
func fromScript(out io.Writer) bool {
	_, ok := out.(scriptOut)
	return ok
}
