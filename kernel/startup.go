package kernel

import (
	_ "embed"
	"fmt"
	"io"

	"github.com/hotrestart/tamago-hr/kernel/bootrec"
	"github.com/hotrestart/tamago-hr/kernel/command"
)

//go:embed startup.rc
var startupScript string

// runStartup runs the startup script (bootrec.Script: a warm boot skips
// `arun -g` lines), but not in safe mode: a script that restarts the site
// at every boot would loop for ever, and safe mode must reach a prompt.
// Errors name the line and never stop the boot. A restart the script asks
// for counts as an automatic one (goDown step 1).
func (k *system) runStartup(out io.Writer, warm bool) {
	if k.start.SafeMode {
		if len(bootrec.Script(startupScript, warm)) > 0 {
			fmt.Fprintln(out, "startup: not run in safe mode")
		}
		return
	}
	out = command.ScriptOut{Writer: out}
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
