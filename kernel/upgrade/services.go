package upgrade

import (
	"fmt"
	"slices"
	"unicode/utf8"
)

// MaxGroups is how many groups a trial watches: the ones running when the
// upgrade began, in the order listed (more are not judged).
const MaxGroups = 64

// Health is a restart group's condition as the trial sees it.
type Health struct {
	GID        int
	State      string // the controller's group state ("running", "held-policy", …)
	Held       bool   // its restart policy or its service (held-service) holds it: it will not come back by itself
	StateError string // its last state Load failed with this ("" if none, or it worked since)
}

// Services judges the groups that were running before the upgrade, with
// their health now (groups absent from health are gone): the trial fails
// when one is held by its policy or cannot load its state, and at the
// trial's end (atEnd) when one is not running. It returns true when the
// trial has just failed (rolled back: the running image must hand over to
// the previous one); the state's Why names the group and the reason.
func (s *State) Services(health []Health, atEnd bool) (failed bool) {
	if s.Phase != Trial {
		return false
	}
	for _, gid := range s.Groups {
		i := slices.IndexFunc(health, func(h Health) bool { return h.GID == int(gid) })
		var h Health
		if i >= 0 {
			h = health[i]
		}
		why := ""
		switch {
		case i >= 0 && h.StateError != "":
			why = fmt.Sprintf("group %d cannot load its state: %s", gid, lastBytes(h.StateError, maxStateWhy))
		case i >= 0 && h.Held && h.State == "held-service":
			why = fmt.Sprintf("group %d is held by its service", gid)
		case i >= 0 && h.Held:
			why = fmt.Sprintf("group %d is held by its restart policy", gid)
		case atEnd && i < 0:
			why = fmt.Sprintf("group %d, running before the upgrade, is gone at the trial's end", gid)
		case atEnd && h.State != "running":
			why = fmt.Sprintf("group %d is %s, not running, at the trial's end", gid, h.State)
		}
		if why != "" {
			s.end(RolledBack, why)
			return true
		}
	}
	return false
}

// maxStateWhy bounds the part of a state error kept in Why (which the
// bank keeps in maxWhy bytes): its end, which names the field.
const maxStateWhy = 100

// lastBytes keeps the last n bytes of s at most, on a rune boundary,
// marking the cut.
func lastBytes(s string, n int) string {
	if len(s) <= n {
		return s
	}
	s = s[len(s)-n:]
	for len(s) > 0 && !utf8.RuneStart(s[0]) {
		s = s[1:]
	}
	return "…" + s
}

// HealthLine is the `upgrade status` line of one watched group: "group 1:
// running", "group 2: held-policy", "group 3: cannot load its state: …".
func HealthLine(gid int, health []Health) string {
	i := slices.IndexFunc(health, func(h Health) bool { return h.GID == gid })
	switch {
	case i < 0:
		return fmt.Sprintf("group %d: gone", gid)
	case health[i].StateError != "":
		return fmt.Sprintf("group %d: %s, cannot load its state: %s", gid, health[i].State, health[i].StateError)
	}
	return fmt.Sprintf("group %d: %s", gid, health[i].State)
}
