package upgrade

import (
	"encoding/json"
	"slices"
	"strings"
)

// StatusJSON is `upgrade status -json`: one object on one line. Its field
// names are stable (README, "Machine-readable listings"); versions are the
// images' VERSION strings, times in milliseconds of the persistent clock.
type StatusJSON struct {
	Running        string            `json:"running"`
	StagedNew      string            `json:"staged_new"`            // "" when StagedNewError says why
	StagedNewError string            `json:"staged_new_error"`      // "" when the slot holds an image
	StagedPrev     string            `json:"staged_previous"`       // the image a rollback boots
	StagedPrevErr  string            `json:"staged_previous_error"` // "" when the slot holds an image
	Security       uint32            `json:"security"`              // the running image's security version
	Floor          uint32            `json:"security_floor"`        // the lowest one this board accepts
	Phase          string            `json:"phase"`                 // none, trial, committed, rolled-back, reloaded
	From           string            `json:"from"`                  // the version before the upgrade ("" if none)
	To             string            `json:"to"`                    // the version upgraded to ("" if none)
	Why            string            `json:"why"`                   // why rolled back or reloaded
	TrialMs        uint64            `json:"trial_ms"`              // in a trial: how long it has run, else 0
	TrialLimitMs   uint64            `json:"trial_limit_ms"`        // kern.upgradeTrial
	Restarts       uint32            `json:"trial_site_restarts"`   // automatic site restarts in the trial
	Groups         []GroupStatusJSON `json:"groups"`                // in a trial: the groups it watches, else []
}

// GroupStatusJSON is one group a trial watches.
type GroupStatusJSON struct {
	GID        int    `json:"gid"`
	State      string `json:"state"`       // the controller's group state, or "gone"
	StateError string `json:"state_error"` // its last state Load failed with this ("" if none)
}

// PhaseName is p as StatusJSON names it: one word, no spaces.
func PhaseName(p Phase) string { return strings.ReplaceAll(p.String(), " ", "-") }

// NewStatusJSON fills the state part of StatusJSON from s, with the trial's
// run time and limit in ms and the groups' health now (trial only).
func NewStatusJSON(s State, runMs, limitMs uint64, health []Health) StatusJSON {
	j := StatusJSON{Phase: PhaseName(s.Phase), From: s.From, To: s.To, Why: s.Why,
		TrialLimitMs: limitMs, Restarts: s.Restarts, Groups: []GroupStatusJSON{}}
	if s.Phase != Trial {
		return j
	}
	j.TrialMs = min(runMs, limitMs)
	for _, gid := range s.Groups {
		g := GroupStatusJSON{GID: int(gid), State: "gone"}
		if i := slices.IndexFunc(health, func(h Health) bool { return h.GID == int(gid) }); i >= 0 {
			g.State, g.StateError = health[i].State, health[i].StateError
		}
		j.Groups = append(j.Groups, g)
	}
	return j
}

// Line is j encoded on one line, with its newline.
func (j StatusJSON) Line() ([]byte, error) {
	b, err := json.Marshal(j)
	return append(b, '\n'), err
}
