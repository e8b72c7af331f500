package kernel

import (
	_ "embed"
	"fmt"
	"io"

	"github.com/hotrestart/tamago-hr/kernel/bootrec"
)

//go:embed startup.rc
var startupScript string

// runStartup runs the startup script (bootrec.Script: a warm boot skips
// `arun -g` lines). Errors name the line and never stop the boot.
func (k *system) runStartup(out io.Writer, warm bool) {
	for _, l := range bootrec.Script(startupScript, warm) {
		if l.Skip {
			fmt.Fprintf(out, "startup:%d: skipped on warm boot: %s\n", l.N, l.Text)
			continue
		}
		fmt.Fprintf(out, "startup:%d: %s\n", l.N, l.Text)
		if err := k.shell.Exec(out, l.Text); err != nil {
			fmt.Fprintf(out, "startup:%d: error: %v\n", l.N, err)
		}
	}
}
