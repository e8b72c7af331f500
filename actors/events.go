package actors

import (
	"fmt"
	"strconv"
	"strings"
	"time"
)

// EventKind says what an Event reports.
type EventKind uint8

const (
	// EventGroupStarted: the group's direct actors were started (Started),
	// at its creation's first start excepted (arun reports that aid).
	EventGroupStarted EventKind = iota + 1
	// EventGroupRestarting: member Actor (AID) failed (Cause) within the
	// policy: every member is told to stop and the group restarts, after
	// Delay when the member ran (Ran) less than MinRunTime. Restarts is the
	// group's restart counter with this restart.
	EventGroupRestarting
	// EventGroupFairStart: Resume starts a group that caused the site
	// restart after Delay (a fair start).
	EventGroupFairStart
	// EventGroupBackoffCut: `resume GID` started a group in its backoff
	// delay now, with Delay left of it.
	EventGroupBackoffCut
	// EventGroupResumed: `resume GID` restarted a held group.
	EventGroupResumed
	// EventGroupHeldPolicy: member Actor failed (Cause) over the policy
	// again (Reason) within its probation, Since after the site restart it
	// caused: the group is held instead of restarting the site.
	EventGroupHeldPolicy
	// EventGroupHeldService: member Actor (AID) returned after
	// Context.Hold(Reason): the group is held, its blocks kept.
	EventGroupHeldService
	// EventGroupEscalated: member Actor (AID) failed (Cause) over the
	// policy (Reason): a site restart is requested (SitePolicy).
	EventGroupEscalated
	// EventGroupInconsistent: member Actor (AID) did not stop (Reason): a
	// site restart is requested (SiteInconsistent).
	EventGroupInconsistent
	// EventGroupKilled: `akill -g` ended the group: Members unregistered,
	// Blocks freed.
	EventGroupKilled
	// EventGroupTerminated: every member exited cleanly: the group ended,
	// Members unregistered, Blocks freed.
	EventGroupTerminated
	// EventActorExited: actor Actor (AID) ended without being told to stop,
	// not cleanly: Panicked (Panic, Stack) or with Err. GID is -1 for an
	// ordinary actor (then also a plain return: neither); of a restartable
	// actor only a panic is reported, before its group's event.
	EventActorExited
)

var eventKindNames = [...]string{EventGroupStarted: "group-started", EventGroupRestarting: "group-restarting",
	EventGroupFairStart: "group-fair-start", EventGroupBackoffCut: "group-backoff-cut", EventGroupResumed: "group-resumed",
	EventGroupHeldPolicy: "group-held-policy", EventGroupHeldService: "group-held-service", EventGroupEscalated: "group-escalated",
	EventGroupInconsistent: "group-inconsistent", EventGroupKilled: "group-killed", EventGroupTerminated: "group-terminated",
	EventActorExited: "actor-exited"}

func (k EventKind) String() string {
	if int(k) < len(eventKindNames) && eventKindNames[k] != "" {
		return eventKindNames[k]
	}
	return "event(" + strconv.Itoa(int(k)) + ")"
}

// Event is what happened to a group or an actor, as the controller
// reports it to Deps.Events (suture's EventHook, with the controller's
// injected time). One struct for every kind, so that queuing an event
// costs no allocation of its own; the fields a kind does not use are zero.
// String is the console's line for it.
type Event struct {
	Kind     EventKind
	At       time.Duration // controller uptime on its Clock (Deps.Clock) when it happened
	GID      int           // the group; -1 for an ordinary actor
	Restarts int           // the group's restart counter after it (restart, fair start, resume)

	AID   AID    // the member (actor) concerned; 0 when none
	Actor string // its name
	// Cause: the failure, as aps's LAST FAILURE says it ("aid 3 ctr.1.1:
	// panic: boom"), for restarting, held by the policy and escalated.
	Cause string
	// Reason: the policy's verdict (held by the policy, escalated), the
	// hold's reason (held by its service), who did not stop (inconsistent).
	Reason string

	Delay      time.Duration // restarting, fair start: the delay before the start; backoff cut short: what was left
	Ran        time.Duration // restarting: how long the failing member ran
	MinRunTime time.Duration // restarting: the policy's MinRunTime
	Since      time.Duration // held by the policy: since the escalation (persistent clock)

	Started []StartedActor // group started: its direct actors, in registration order

	Members, Blocks int // killed, terminated: names unregistered, blocks freed

	Panicked bool   // actor exited: it panicked
	Panic    any    // actor exited: the panic value
	Stack    []byte // actor exited: where it panicked
	Err      error  // actor exited: the error it returned
}

// StartedActor is one actor a group started.
type StartedActor struct {
	Name string
	AID  AID
}

// String is the console's line for e (no trailing newline): the one place
// that words the controller's events.
func (e Event) String() string {
	switch e.Kind {
	case EventGroupStarted:
		started := make([]string, len(e.Started))
		for i, s := range e.Started {
			started[i] = fmt.Sprintf("%s aid %d", s.Name, s.AID)
		}
		return fmt.Sprintf("hr: group %d running: %s", e.GID, strings.Join(started, ", "))
	case EventGroupRestarting:
		note := ""
		if e.Delay > 0 {
			note = fmt.Sprintf(" in %v: ran %v < minRunTime %v", e.Delay, e.Ran, e.MinRunTime)
		}
		return fmt.Sprintf("hr: group %d restart %d (%s)%s", e.GID, e.Restarts, e.Cause, note)
	case EventGroupFairStart:
		return fmt.Sprintf("hr: group %d restart %d (site restart) in %v: fair start", e.GID, e.Restarts, e.Delay)
	case EventGroupBackoffCut:
		return fmt.Sprintf("hr: group %d restart %d cut short by the operator: its backoff had %v left", e.GID, e.Restarts, formatUptime(e.Delay))
	case EventGroupResumed:
		return fmt.Sprintf("hr: group %d restart %d (resumed by the operator)", e.GID, e.Restarts)
	case EventGroupHeldPolicy:
		return fmt.Sprintf("hr: group %d held (%s): %s, %v after the site restart it caused; `resume %d` restarts it, `akill -g %d` drops it",
			e.GID, e.Cause, e.Reason, e.Since.Round(time.Millisecond), e.GID, e.GID)
	case EventGroupHeldService:
		return fmt.Sprintf("hr: group %d held by aid %d %s: %s; its blocks are kept: `resume %d` restarts it, `akill -g %d` frees them",
			e.GID, e.AID, e.Actor, e.Reason, e.GID, e.GID)
	case EventGroupEscalated:
		return fmt.Sprintf("hr: group %d failure (%s): %s", e.GID, e.Cause, e.Reason)
	case EventGroupInconsistent:
		return fmt.Sprintf("hr: group %d inconsistent: %s", e.GID, e.Reason)
	case EventGroupKilled:
		return fmt.Sprintf("hr: group %d killed: %d actors unregistered, %d blocks freed", e.GID, e.Members, e.Blocks)
	case EventGroupTerminated:
		return fmt.Sprintf("hr: group %d terminated: every member exited cleanly; %d names unregistered, %d blocks freed", e.GID, e.Members, e.Blocks)
	case EventActorExited:
		switch {
		case e.GID >= 0 && e.Panicked:
			return fmt.Sprintf("hr: aid %d %s panic: %v\n%s", e.AID, e.Actor, e.Panic, e.Stack)
		case e.Panicked:
			return fmt.Sprintf("hr: aid %d %s panicked (not restartable): %v\n%s", e.AID, e.Actor, e.Panic, e.Stack)
		case e.Err != nil:
			return fmt.Sprintf("hr: aid %d %s failed (not restartable): %v", e.AID, e.Actor, e.Err)
		}
		return fmt.Sprintf("hr: aid %d %s exited", e.AID, e.Actor)
	}
	return "hr: " + e.Kind.String()
}
