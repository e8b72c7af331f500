package kernel

import (
	"fmt"
	"slices"
	"strconv"
	"strings"

	"github.com/hotrestart/tamago-hr/actors"
	"github.com/hotrestart/tamago-hr/kernel/upgrade"
	"github.com/hotrestart/tamago-hr/pmm"
)

// checkUpgradeStates refuses, before anything stops, an upgrade whose new
// image declares for a state in the bank a type that cannot take it: for
// every group block NAME@GID whose NAME the new manifest declares, the
// stored value must migrate (by the new image's explicit migrations, then
// by field name) to one of the declared layouts. The error names the
// programs of the group, the block and the field ("odometer: ODO@1: field
// Meters: uint64 → float64 cannot be migrated"). A state the new image
// does not declare is left to its trial, which rolls back a service that
// cannot load it.
func checkUpgradeStates(bank *pmm.Bank, running []actors.ActorInfo, m upgrade.Manifest) error {
	states, pairs, err := m.StateDecls()
	if err != nil || len(states) == 0 {
		return err
	}
	migs := make([]actors.Migration, len(pairs))
	for i, p := range pairs {
		migs[i] = actors.Migration{From: p[0], To: p[1]}
	}
	for _, b := range bank.Blocks() {
		at := strings.LastIndexByte(b.Name, '@')
		if at <= 0 {
			continue
		}
		gid, err := strconv.Atoi(b.Name[at+1:])
		layouts := states[b.Name[:at]]
		if err != nil || len(layouts) == 0 || b.Key != actors.GroupKey(gid) {
			continue
		}
		blk, _, err := bank.Lookup(b.Name)
		if err != nil {
			continue // freed meanwhile
		}
		var first error
		for _, l := range layouts {
			if first = actors.CheckBlock(blk, l, migs); first == nil {
				break
			}
		}
		if first != nil {
			return fmt.Errorf("%s: %s: %v", groupPrograms(running, gid), b.Name, first)
		}
	}
	return nil
}

// groupPrograms names the programs that run in group gid ("odometer",
// "a, b"), or the group when its records name none.
func groupPrograms(running []actors.ActorInfo, gid int) string {
	var names []string
	for _, a := range running {
		if a.Group == gid && !slices.Contains(names, a.Program) {
			names = append(names, a.Program)
		}
	}
	if len(names) == 0 {
		return fmt.Sprintf("group %d", gid)
	}
	return strings.Join(names, ", ")
}
