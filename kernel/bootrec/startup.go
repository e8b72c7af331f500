package bootrec

import "strings"

// Line is one command of a startup script (kernel/startup.rc).
type Line struct {
	N    int    // line number, from 1
	Text string // the command, trimmed
	// Skip: a warm boot skips `arun -g` lines, since the groups they
	// would create are in the bank already and come back by themselves.
	Skip bool
}

// Script returns the commands of a startup script for a cold (warm false)
// or warm boot; blank lines and comment lines are left out.
func Script(script string, warm bool) []Line {
	var lines []Line
	for i, line := range strings.Split(script, "\n") {
		f := strings.Fields(line)
		if len(f) == 0 || strings.HasPrefix(f[0], "#") {
			continue
		}
		lines = append(lines, Line{N: i + 1, Text: strings.TrimSpace(line),
			Skip: warm && len(f) >= 2 && f[0] == "arun" && f[1] == "-g"})
	}
	return lines
}
