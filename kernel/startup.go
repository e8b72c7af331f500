package kernel

import (
	_ "embed"
	"fmt"
	"io"
	"strings"
)

//go:embed startup.rc
var startupScript string

// runStartup runs the startup script. On a warm boot (the groups are in the
// bank) `arun -g` lines are skipped. Errors name the line and never stop
// the boot.
func (k *system) runStartup(out io.Writer, warm bool) {
	for i, line := range strings.Split(startupScript, "\n") {
		f := strings.Fields(line)
		if len(f) == 0 || strings.HasPrefix(f[0], "#") {
			continue
		}
		if warm && len(f) >= 2 && f[0] == "arun" && f[1] == "-g" {
			fmt.Fprintf(out, "startup:%d: skipped on warm boot: %s\n", i+1, strings.TrimSpace(line))
			continue
		}
		fmt.Fprintf(out, "startup:%d: %s\n", i+1, strings.TrimSpace(line))
		if err := k.shell.Exec(out, line); err != nil {
			fmt.Fprintf(out, "startup:%d: error: %v\n", i+1, err)
		}
	}
}
