package actors

import (
	"cmp"
	"slices"
	"time"
)

// Kind says how an actor was started.
type Kind uint8

const (
	// Ordinary: `arun` without -g; never restarted.
	Ordinary Kind = iota
	// Direct: `arun -g GID`; the controller restarts it with its group.
	Direct
	// Indirect: spawned by a restartable actor (hrfexec); its spawner
	// starts it again after a group restart.
	Indirect
)

func (k Kind) String() string {
	switch k {
	case Ordinary:
		return "ordinary"
	case Direct:
		return "direct"
	case Indirect:
		return "indirect"
	}
	return "?"
}

// State is an actor's state as aps shows it.
type State string

const (
	StateRunning  State = "running"      // an incarnation runs
	StateStopping State = "stopping"     // told to stop, not returned yet
	StateExited   State = "exited-clean" // terminated cleanly; stays registered until its group ends
	StateBlocked  State = "blocked"      // indirect, not re-spawned since the last restart (ChorusOS "blocked actor")
	StateBackoff  State = "backoff"      // direct, waiting for its group's restart delay
	StateStopped  State = "stopped"      // registered, not running: group stopping, held or escalated
	StateFailed   State = "failed"       // direct whose start failed (e.g. program no longer in the image)
	StateCorrupt  State = "corrupt"      // record not trusted; never run; akill -g frees it
)

// GroupState is a restart group's state as aps shows it (the controller's
// state machine is in groupstate.go).
type GroupState string

const (
	GroupRunning     GroupState = "running"      // its direct actors were started
	GroupStopping    GroupState = "stopping"     // a restart waits for the members to stop
	GroupBackoff     GroupState = "backoff"      // a restart waits for its backoff delay
	GroupHeld        GroupState = "held"         // reopened from the bank, not resumed yet
	GroupHeldPolicy  GroupState = "held-policy"  // escalated again within its probation: waits for `resume GID` or `akill -g`
	GroupHeldService GroupState = "held-service" // its service called Context.Hold: waits for `resume GID` or `akill -g`, blocks kept
	GroupKilling     GroupState = "killing"      // akill -g in progress
	GroupSiteRestart GroupState = "site-restart" // escalated; waits for the site restart
)

// ActorInfo describes one actor for aps: every registered restartable
// actor, running or not, and every running ordinary actor.
type ActorInfo struct {
	AID      AID // of the running incarnation; 0 when none runs
	LastAID  AID // the most recent aid this boot, even if it has ended; 0 if none
	Gen      int // incarnation number: 1 at the first start, +1 at every restart (group or site)
	Name     string
	Program  string
	Args     []string
	Group    int // -1 when not restartable
	Kind     Kind
	State    State
	Restarts int           // Gen-1 (0 for ordinary actors)
	Uptime   time.Duration // of the running incarnation
	Spawner  string        // indirect actors: the name of the actor that spawned it
	Note     string        // why it failed to start, or why its record is not trusted
}

// GroupInfo describes one restart group for aps.
type GroupInfo struct {
	GID                               int
	State                             GroupState
	Members, Direct, Running, Blocked int
	Restarts                          int
	Badness, MaxBadness               int           // badness as decayed now, and the limit
	Backoff                           time.Duration // left of the restart delay, in backoff
	LastFailure                       string
	Hold                              string // why it is held: "policy", or the reason its service gave Hold ("" when not held)
	Policy                            Policy // its restart policy (its own, or the tunables)
	OwnPolicy                         bool   // Policy is the group's own (arun flags, WithPolicy), not the tunables
	StateError                        string // the last Load of a state that failed this boot ("" once it works again)
}

// Actors lists the actors: restartable ones by group and registration
// order, then ordinary ones by aid.
func (c *Controller) Actors() []ActorInfo {
	c.mu.Lock()
	defer c.mu.Unlock()
	now := c.now()
	var out []ActorInfo
	for _, g := range c.groups {
		if g == nil {
			continue
		}
		for _, m := range g.members {
			a := ActorInfo{LastAID: m.lastAID, Gen: m.gen, Name: m.name, Program: m.program,
				Args: slices.Clone(m.args), Group: g.gid, Kind: m.kind, State: m.state(),
				Restarts: max(m.gen-1, 0), Spawner: m.spawner, Note: m.corrupt}
			if m.failed != "" && a.State == StateFailed {
				a.Note = m.failed
			}
			if x := m.cur; x != nil {
				a.AID, a.Uptime = x.aid, now-x.started
			}
			out = append(out, a)
		}
	}
	var ord []ActorInfo
	for _, x := range c.live {
		if x.m != nil {
			continue
		}
		st := StateRunning
		if x.stopping {
			st = StateStopping
		}
		ord = append(ord, ActorInfo{AID: x.aid, LastAID: x.aid, Gen: 1, Name: x.name, Program: x.program,
			Args: slices.Clone(x.args), Group: -1, Kind: Ordinary, State: st, Uptime: now - x.started})
	}
	slices.SortFunc(ord, func(a, b ActorInfo) int { return cmp.Compare(a.AID, b.AID) })
	return append(out, ord...)
}

// Groups lists the restart groups in use, by gid.
func (c *Controller) Groups() []GroupInfo {
	c.mu.Lock()
	defer c.mu.Unlock()
	now := c.now()
	var out []GroupInfo
	for _, g := range c.groups {
		if g == nil {
			continue
		}
		cfg := g.cfg()
		gi := GroupInfo{GID: g.gid, Members: len(g.members), Restarts: g.restarts,
			Badness: decayed(g.badness, g.failedAt, c.pnow(), cfg.Interval), MaxBadness: cfg.MaxBadness,
			LastFailure: g.lastFailure, Policy: policyOf(cfg), OwnPolicy: g.policy != nil, StateError: c.stateErrs[g.gid].text}
		gi.State, gi.Hold = g.st.shown()
		if g.st.phase == phaseBackoff {
			gi.Backoff = max(g.st.resumeAt-now, 0)
		}
		for _, m := range g.members {
			if m.kind == Direct {
				gi.Direct++
			}
			switch m.state() {
			case StateRunning:
				gi.Running++
			case StateBlocked:
				gi.Blocked++
			}
		}
		out = append(out, gi)
	}
	return out
}

// state derives a member's State (with c.mu held).
func (m *member) state() State {
	switch {
	case m.corrupt != "":
		return StateCorrupt
	case m.cur != nil && m.cur.stopping:
		return StateStopping
	case m.cur != nil:
		return StateRunning
	case m.clean:
		return StateExited
	}
	switch m.g.st.phase {
	case phaseBackoff:
		if m.kind == Direct {
			return StateBackoff
		}
	case phaseRunning:
		if m.kind == Direct {
			return StateFailed
		}
		return StateBlocked
	}
	return StateStopped
}
