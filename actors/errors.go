package actors

import "errors"

// Sentinel errors. Every error the controller returns wraps one of them (or
// a pmm error, when the bank refused something), so the kernel tests with
// errors.Is and the operator still reads one line saying what was wrong.
var (
	// ErrNoActor: no actor has ever had that aid.
	ErrNoActor = errors.New("actors: no such actor")
	// ErrStaleAID: the aid belonged to an earlier incarnation (the actor was
	// restarted under a new aid) or to an actor that has ended.
	ErrStaleAID = errors.New("actors: stale aid")
	// ErrNoProgram: no program of that name is built into the image.
	ErrNoProgram = errors.New("actors: no such program")
	// ErrBadGroup: a group id below -1, or an operation that needs a group
	// on an actor without one.
	ErrBadGroup = errors.New("actors: bad group id")
	// ErrTooManyGroups: a group id at or beyond hrCtrl.maxGroups.
	ErrTooManyGroups = errors.New("actors: group id beyond hrCtrl.maxGroups")
	// ErrBlockInUse: the block carries a live group's key or a running
	// actor has mapped it, and the caller is outside that group.
	ErrBlockInUse = errors.New("actors: block in use")
	// ErrNoGroup: no group with that id is in use.
	ErrNoGroup = errors.New("actors: no such group")
	// ErrTooManyActors: hrCtrl.maxActors restartable names are registered.
	ErrTooManyActors = errors.New("actors: too many restartable actors")
	// ErrNotRestartable: the call is for restartable actors only (Spawn,
	// AllocateGroup), the hrfexec restriction.
	ErrNotRestartable = errors.New("actors: not a restartable actor")
	// ErrStopped: the actor has been told to stop (Sleep, Spawn), or has
	// already ended.
	ErrStopped = errors.New("actors: stopped")
	// ErrGroupBusy: the group is restarting, being killed, escalated or held
	// (not resumed), so it takes no new member now.
	ErrGroupBusy = errors.New("actors: group busy")
	// ErrUnrunnable: a group has nothing that could start, every record
	// of its members being untrusted (kept as corrupt): resume refuses it.
	ErrUnrunnable = errors.New("actors: nothing in the group can run")
	// ErrNameTaken: the name is registered in another group, or is a direct
	// actor's, or an image program's name is registered twice.
	ErrNameTaken = errors.New("actors: name taken")
	// ErrRunning: Spawn of a registered name whose actor is running.
	ErrRunning = errors.New("actors: already running")
	// ErrBadName: a program or actor name that is empty, too long, not
	// printable ASCII without spaces, or has the reserved prefix.
	ErrBadName = errors.New("actors: bad name")
	// ErrTooLong: a program's arguments do not fit the actor record.
	ErrTooLong = errors.New("actors: arguments too long")
	// ErrBadFault: Inject with a kind not in FaultKinds.
	ErrBadFault = errors.New("actors: unknown fault kind")
	// ErrFaultPending: the actor has not yet taken the previous injected
	// fault.
	ErrFaultPending = errors.New("actors: a fault is already pending")
	// ErrShutdown: the controller has been shut down (site restart or
	// reboot in progress).
	ErrShutdown = errors.New("actors: controller shut down")
	// ErrNotStopped: actors did not stop within the time they were given.
	ErrNotStopped = errors.New("actors: did not stop in time")
	// ErrBadConfig: a Config that Validate refuses, or missing dependencies.
	ErrBadConfig = errors.New("actors: bad config")
)
