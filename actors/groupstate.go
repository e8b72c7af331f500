package actors

import (
	"strconv"
	"time"
)

// A restart group's life is one state machine (Hubris jefe style): phase
// says where the group is, groupState carries what that phase needs, and
// group.to is the only way to move, checked against groupMoves. The
// diagram is in the package documentation ("Group states"). Where a group
// becomes held, stops, backs off or escalates: the callers of to.
//
// Not state: badness, restarts and escalated/escalatedAt are the restart
// policy's memory (a running group may be on probation), and epoch tells a
// stale worker to give up.

// phase is where a group is in its life.
type phase uint8

const (
	phaseRunning     phase = iota // its direct actors were started
	phaseStopping                 // a restart waits for the members to stop
	phaseBackoff                  // a restart waits for its backoff delay (resumeAt)
	phaseWaiting                  // reopened from the bank or shut down: waits for Resume ("held" in aps)
	phaseHeldPolicy               // escalated again within its probation: waits for `resume GID` or `akill -g`
	phaseHeldService              // its service called Context.Hold (why): waits for `resume GID` or `akill -g`
	phaseKilling                  // akill -g: waits for the members to stop, then ends
	phaseSiteRestart              // escalated (policy or a member that did not stop): waits for the site restart
	phaseGone                     // ended (terminated cleanly or killed): its gid is free
	numPhases
)

var phaseNames = [numPhases]string{"running", "stopping", "backoff", "waiting", "held-policy", "held-service",
	"killing", "site-restart", "gone"}

func (ph phase) String() string {
	if ph < numPhases {
		return phaseNames[ph]
	}
	return "phase(" + strconv.Itoa(int(ph)) + ")"
}

// groupState is a group's phase with the data that phase needs.
type groupState struct {
	phase phase
	// why: phaseHeldService, the reason its service gave Hold.
	why string
	// fair: phaseWaiting, it caused the site restart: Resume starts it
	// after a backoff delay (a fair start, see the package documentation).
	fair bool
	// resumeAt: phaseBackoff, the end of the delay (controller uptime).
	resumeAt time.Duration
}

// reopened is the first state of a group New finds in the bank with a
// trusted record: held as the record says, or waiting for Resume (New
// then marks a fair start). A group whose record is not trusted waits.
// First states are not moves: the other one is running, for a group Run
// creates.
func reopened(r groupRec) groupState {
	switch {
	case r.held && r.heldByService:
		return groupState{phase: phaseHeldService, why: r.holdWhy}
	case r.held:
		return groupState{phase: phaseHeldPolicy}
	}
	return groupState{phase: phaseWaiting}
}

// groupMoves is the transition table: groupMoves[from] has bit to set when
// a group may move from phase from to phase to. Each move names who makes it.
var groupMoves = [numPhases]uint16{
	phaseRunning: bits(
		phaseStopping,    // a member failed: restart (failLocked)
		phaseHeldPolicy,  // a member failed over the policy within its probation (holdLocked)
		phaseHeldService, // a member returned after Hold (holdServiceLocked)
		phaseSiteRestart, // a member failed over the policy (failLocked); or, resumed from a hold, a member of the hold never stopped (awaitHeld)
		phaseKilling,     // akill -g (beginKill)
		phaseWaiting,     // Shutdown
		phaseGone,        // every member exited cleanly (exitedLocked)
	),
	phaseStopping: bits(
		phaseBackoff,     // the members stopped; the restart waits its delay (restartGroup)
		phaseRunning,     // the members stopped; the direct actors start (restartGroup)
		phaseSiteRestart, // a member did not stop (restartGroup)
		phaseKilling,     // akill -g
		phaseWaiting,     // Shutdown
	),
	phaseBackoff: bits(
		phaseBackoff, // the restart worker of a fair start arms its own delay (restartGroup)
		phaseRunning, // the delay ended (restartGroup), or `resume GID` cut it short (ResumeGroup)
		phaseKilling, // akill -g
		phaseWaiting, // Shutdown
	),
	phaseWaiting: bits(
		phaseRunning,     // Resume, or `resume GID` of this one group (ResumeGroup)
		phaseBackoff,     // Resume of a fair start
		phaseSiteRestart, // its service hold was released, but a member of the hold never stopped (awaitHeld)
		phaseKilling,     // akill -g
	),
	phaseHeldPolicy: bits(
		phaseRunning,     // `resume GID` (ResumeGroup)
		phaseSiteRestart, // a member of the hold did not stop (awaitHeld)
		phaseKilling,     // akill -g
	),
	phaseHeldService: bits(
		phaseRunning,     // `resume GID` (ResumeGroup)
		phaseWaiting,     // an upgrade's rollback released its service's hold (ReleaseServiceHold)
		phaseSiteRestart, // a member of the hold did not stop (awaitHeld)
		phaseKilling,     // akill -g
	),
	phaseKilling: bits(
		phaseSiteRestart, // a member did not stop (finishKill)
		phaseGone,        // every member stopped: its blocks are freed (finishKill)
	),
	phaseSiteRestart: bits(
		phaseKilling, // akill -g while the site restart is pending (or was refused)
	),
	phaseGone: 0,
}

func bits(ps ...phase) uint16 {
	var b uint16
	for _, p := range ps {
		b |= 1 << p
	}
	return b
}

// canMove reports whether the table allows from → to.
func canMove(from, to phase) bool {
	return from < numPhases && to < numPhases && groupMoves[from]&(1<<to) != 0
}

// to moves g to next when the table allows it; a refused move leaves g as
// it is, says so in the log (a controller bug) and returns false.
func (g *group) to(next groupState, p *post) bool {
	if !canMove(g.st.phase, next.phase) {
		p.logf("hr: group %d: move %v -> %v refused (a controller bug)", g.gid, g.st.phase, next.phase)
		return false
	}
	g.st = next
	return true
}

// word is the state word errors and logs have always used: every phase
// that waits for someone ("waiting", both holds) says "held".
func (s groupState) word() GroupState {
	switch s.phase {
	case phaseRunning:
		return GroupRunning
	case phaseStopping:
		return GroupStopping
	case phaseBackoff:
		return GroupBackoff
	case phaseWaiting, phaseHeldPolicy, phaseHeldService:
		return GroupHeld
	case phaseKilling:
		return GroupKilling
	case phaseSiteRestart:
		return GroupSiteRestart
	}
	return GroupState(s.phase.String())
}

// shown is the state aps shows, and who holds the group ("policy", or the
// reason its service gave; "" when it is not held).
func (s groupState) shown() (GroupState, string) {
	switch s.phase {
	case phaseHeldPolicy:
		return GroupHeldPolicy, "policy"
	case phaseHeldService:
		return GroupHeldService, s.why
	}
	return s.word(), ""
}

// held reports whether the policy or its service holds the group.
func (s groupState) held() bool { return s.phase == phaseHeldPolicy || s.phase == phaseHeldService }
