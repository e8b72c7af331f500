package actors

import (
	"fmt"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// allowedMoves is the group state machine as the package documentation
// draws it, written out move by move.
var allowedMoves = map[[2]phase]bool{
	{phaseRunning, phaseStopping}:    true,
	{phaseRunning, phaseHeldPolicy}:  true,
	{phaseRunning, phaseHeldService}: true,
	{phaseRunning, phaseSiteRestart}: true,
	{phaseRunning, phaseKilling}:     true,
	{phaseRunning, phaseWaiting}:     true,
	{phaseRunning, phaseGone}:        true,

	{phaseStopping, phaseBackoff}:     true,
	{phaseStopping, phaseRunning}:     true,
	{phaseStopping, phaseSiteRestart}: true,
	{phaseStopping, phaseKilling}:     true,
	{phaseStopping, phaseWaiting}:     true,

	{phaseBackoff, phaseBackoff}: true,
	{phaseBackoff, phaseRunning}: true,
	{phaseBackoff, phaseKilling}: true,
	{phaseBackoff, phaseWaiting}: true,

	{phaseWaiting, phaseRunning}:     true,
	{phaseWaiting, phaseBackoff}:     true,
	{phaseWaiting, phaseSiteRestart}: true,
	{phaseWaiting, phaseKilling}:     true,

	{phaseHeldPolicy, phaseRunning}:     true,
	{phaseHeldPolicy, phaseSiteRestart}: true,
	{phaseHeldPolicy, phaseKilling}:     true,

	{phaseHeldService, phaseRunning}:     true,
	{phaseHeldService, phaseWaiting}:     true,
	{phaseHeldService, phaseSiteRestart}: true,
	{phaseHeldService, phaseKilling}:     true,

	{phaseKilling, phaseSiteRestart}: true,
	{phaseKilling, phaseGone}:        true,

	{phaseSiteRestart, phaseKilling}: true,
}

// Every allowed move is allowed and every other one refused, gone is
// final, and only akill -g leaves a site restart that was not performed.
func TestGroupMovesTable(t *testing.T) {
	for from := range numPhases {
		for to := range numPhases {
			assert.Equal(t, allowedMoves[[2]phase{from, to}], canMove(from, to), "%v -> %v", from, to)
		}
	}
	assert.False(t, canMove(numPhases, phaseRunning), "an unknown phase moves nowhere")
	assert.False(t, canMove(phaseRunning, numPhases), "nor is moved to")
}

// A move goes through to: an allowed one replaces the state with its data,
// a refused one leaves the state and says so in the log.
func TestGroupTo(t *testing.T) {
	for from := range numPhases {
		for to := range numPhases {
			g := &group{gid: 3, st: groupState{phase: from, why: "before"}}
			p := post{}
			next := groupState{phase: to, why: "after", resumeAt: 7}
			ok := g.to(next, &p)
			if allowedMoves[[2]phase{from, to}] {
				require.True(t, ok, "%v -> %v", from, to)
				assert.Equal(t, next, g.st)
				assert.Empty(t, p.logs)
				continue
			}
			require.False(t, ok, "%v -> %v", from, to)
			assert.Equal(t, groupState{phase: from, why: "before"}, g.st)
			assert.Equal(t, []string{fmt.Sprintf("hr: group 3: move %v -> %v refused (a controller bug)", from, to)}, p.logs)
		}
	}
}

// aps and the errors keep their words: the three waiting phases are "held"
// in errors, and aps tells the holds apart with who holds.
func TestGroupStateWords(t *testing.T) {
	words := map[phase]GroupState{phaseRunning: GroupRunning, phaseStopping: GroupStopping, phaseBackoff: GroupBackoff,
		phaseWaiting: GroupHeld, phaseHeldPolicy: GroupHeld, phaseHeldService: GroupHeld, phaseKilling: GroupKilling,
		phaseSiteRestart: GroupSiteRestart, phaseGone: "gone"}
	for ph, w := range words {
		assert.Equal(t, w, groupState{phase: ph}.word(), "%v", ph)
	}
	st, hold := groupState{phase: phaseHeldPolicy}.shown()
	assert.Equal(t, GroupHeldPolicy, st)
	assert.Equal(t, "policy", hold)
	st, hold = groupState{phase: phaseHeldService, why: "state S@1 cannot be loaded"}.shown()
	assert.Equal(t, GroupHeldService, st)
	assert.Equal(t, "state S@1 cannot be loaded", hold)
	st, hold = groupState{phase: phaseWaiting}.shown()
	assert.Equal(t, GroupHeld, st)
	assert.Empty(t, hold)
	assert.True(t, groupState{phase: phaseHeldPolicy}.held())
	assert.True(t, groupState{phase: phaseHeldService}.held())
	assert.False(t, groupState{phase: phaseWaiting}.held())
}

// The group record's flags follow the state: killed while killing, held
// and by whom while held.
func TestGroupRecordFromState(t *testing.T) {
	for _, tc := range []struct {
		st                  groupState
		killed, held, bySvc bool
		why                 string
	}{
		{groupState{phase: phaseRunning}, false, false, false, ""},
		{groupState{phase: phaseKilling}, true, false, false, ""},
		{groupState{phase: phaseHeldPolicy}, false, true, false, ""},
		{groupState{phase: phaseHeldService, why: "no room"}, false, true, true, "no room"},
		{groupState{phase: phaseWaiting, fair: true}, false, false, false, ""},
	} {
		r := (&group{gid: 1, st: tc.st}).record()
		assert.Equal(t, tc.killed, r.killed, "%v", tc.st.phase)
		assert.Equal(t, tc.held, r.held, "%v", tc.st.phase)
		assert.Equal(t, tc.bySvc, r.heldByService, "%v", tc.st.phase)
		assert.Equal(t, tc.why, r.holdWhy, "%v", tc.st.phase)
	}
}

// A group reopened from the bank is held as its record says, or waits.
func TestReopenedState(t *testing.T) {
	assert.Equal(t, groupState{phase: phaseWaiting}, reopened(groupRec{}))
	assert.Equal(t, groupState{phase: phaseWaiting}, reopened(groupRec{escalated: true}))
	assert.Equal(t, groupState{phase: phaseHeldPolicy}, reopened(groupRec{held: true}))
	assert.Equal(t, groupState{phase: phaseHeldService, why: "no room"}, reopened(groupRec{held: true, heldByService: true, holdWhy: "no room"}))
	assert.Equal(t, groupState{phase: phaseWaiting}, reopened(groupRec{heldByService: true, holdWhy: "stale"}), "held is the flag that holds")
}
