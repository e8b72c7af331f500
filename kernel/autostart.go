package kernel

import (
	"fmt"
	"io"

	"github.com/hotrestart/tamago-hr/actors"
)

// Start is one restart group the firmware starts at boot (Config.Autostart):
// `arun -g Group Program Args…` in code.
type Start struct {
	Group   int
	Program string
	Args    []string
	// Policy, optional, is the group's own restart policy, as arun's flags
	// give it (applied after the program's WithPolicy); nil: the program's
	// or the tunables.
	Policy actors.PolicyEdit
}

// runAutostart starts Config.Autostart, in order, on a cold boot (a new
// bank), before the startup script. A warm boot (site restart, watchdog
// reset, upgrade) starts none: the groups come back from the bank, so
// none runs twice, and a group the operator dropped (`akill -g`) or that
// ended stays so until the next cold boot. Errors name the entry and never
// stop the boot.
func (k *system) runAutostart(out io.Writer) {
	if len(k.autostart) == 0 || k.ctl == nil {
		return
	}
	if !k.cold() {
		fmt.Fprintf(out, "autostart: %d groups not started on a warm boot: they come back from the bank\n", len(k.autostart))
		return
	}
	for _, s := range k.autostart {
		var opts []actors.RunOption
		if s.Policy != nil {
			opts = append(opts, actors.RunPolicy(s.Policy))
		}
		aid, err := k.ctl.Run(s.Group, s.Program, s.Args, opts...)
		if err != nil {
			fmt.Fprintf(out, "autostart: group %d %s: error: %v\n", s.Group, s.Program, err)
			continue
		}
		fmt.Fprintf(out, "autostart: group %d %s: aid %d\n", s.Group, s.Program, aid)
	}
}
