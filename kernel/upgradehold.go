package kernel

import (
	"fmt"
	"strings"

	"github.com/hotrestart/tamago-hr/kernel/upgrade"
)

// upgradeReleaseHolds, on the boot that rolls an upgrade back, releases the
// holds that the rolled-back version's services made (Context.Hold, e.g. on
// a state it could not load) in the groups its trial watched: the hold was
// that version's judgement of its own state, and this version, which wrote
// the state, resumes them from it. Holds by the restart policy stay.
func (k *system) upgradeReleaseHolds() {
	if k.ctl == nil {
		return
	}
	k.up.mu.Lock()
	s := k.up.state
	k.up.mu.Unlock()
	if s.Phase != upgrade.RolledBack || !strings.Contains(k.start.Reason, "rollback from "+s.To+" to "+s.From) {
		return
	}
	for _, gid := range s.Groups {
		if why := k.ctl.ReleaseServiceHold(int(gid)); why != "" {
			fmt.Printf("hr: upgrade: group %d, held by %s's service (%s), resumes on %s\n", gid, s.To, why, s.From)
		}
	}
}
