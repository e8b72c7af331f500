package kernel

import (
	"fmt"
	"io"
	"strings"

	"github.com/hotrestart/tamago-hr/actors"
	"github.com/hotrestart/tamago-hr/kernel/bootrec"
	"github.com/hotrestart/tamago-hr/kernel/console"
	"github.com/hotrestart/tamago-hr/kernel/crashlog"
	"github.com/hotrestart/tamago-hr/kernel/netconsole"
	"github.com/hotrestart/tamago-hr/kernel/upgrade"
	"github.com/hotrestart/tamago-hr/pmm"
)

// reportQuarantine prints, after the banner, the bank records pmm found
// damaged and set aside (pmm doc, Damage): how many and which, and for the
// system's own records what starts again from its defaults. Every other
// block was kept.
func (k *system) reportQuarantine(out io.Writer) {
	q := k.bank.Quarantined()
	if len(q) == 0 {
		return
	}
	fmt.Fprintf(out, "hr: bank: %d damaged records quarantined, every other block kept (`pmm ls` lists them, `pmm release SLOT` frees their pages):\n", len(q))
	for _, r := range q {
		fmt.Fprintf(out, "hr: bank: quarantined %s\n", r)
		if what := lossOf(r.Name); what != "" {
			fmt.Fprintf(out, "hr: bank: %s lost: %s\n", console.Quote(r.Name), what)
		}
	}
}

// lossOf says what a system block lost to the quarantine means: what is
// reset to its defaults. "" for a user block, whose owner is told by name.
func lossOf(name string) string {
	switch {
	case name == "":
		return ""
	case name == bootrec.BlockName:
		return "boot record: boot and restart counters start again"
	case name == crashlog.BlockName:
		return "crash log: the previous boot's log is gone"
	case name == netconsole.HostKeyBlock:
		return "SSH host key: a new one is made (clients see a new fingerprint)"
	case name == upgrade.BlockName:
		return "upgrade state: no trial is in progress (an image on trial is no longer rolled back)"
	}
	if what, ok := actors.DescribeLoss(name); ok {
		return what
	}
	if strings.HasPrefix(name, pmm.ReservedPrefix) {
		return "system block: made anew, empty"
	}
	return ""
}
