// Package actors is the hot restart controller (ChorusOS 4.0 HR_CTRL) of
// the firmware: programs compiled into the image run as actors, each on its
// own goroutine; restartable actors live in restart groups that are
// supervised, restarted together, killed together, and brought back after a
// site restart from their records in the persistent memory bank (package
// pmm). It is pure Go: the kernel injects the clock, the console, the site
// restart and a goroutine hook, so the host tests drive every path with a
// fake clock (package actors/fakeclock).
//
// # Actors
//
// A Program is registered by name in Programs (the "actor image" analog).
// Run(-1, …) starts an ordinary actor (`arun PROGRAM`): it runs, its end is
// logged, it is never restarted. Run(gid, …) registers a direct restartable
// actor in group gid (`arun -g GID PROGRAM ARGS…`) under a generated name
// "<program>.<gid>.<n>"; the program and arguments are recorded in the bank
// and reused on every restart. A restartable actor may Spawn indirect
// actors under names it chooses (the hrfexec analog); they join its group,
// and a name already registered starts again from its record.
//
// Every start of an actor is an incarnation with a new AID (aids are never
// reused, even across site restarts: the counter is persisted as a lease in
// the controller record, and every group and actor record carries the lease
// end of its last write, so a lost controller record still restarts above
// every aid a record has seen) and, for a restartable actor, the next
// generation. Operations on an aid of an earlier incarnation fail with
// ErrStaleAID.
//
// Context is the handle of one incarnation, not a context.Context; its
// Context method returns one, cancelled when the actor must stop, for the
// libraries a service calls (as suture's Serve(ctx)).
//
// The hot restart calls of a ChorusOS actor are on Context: Group (its own
// group id), ActorGroup (hrGetActorGroup: another running actor's group),
// KillGroup (hrKillGroup; on its own group the kill starts, Done closes and
// the caller returns), RequestSiteRestart (a site restart with a reason),
// Spawn (hrfexec), Exit (HR_EXIT_HDL), AllocateGroup (HR_GROUP_KEY).
//
// # Termination
//
// A restartable actor ends in one of three ways, each named:
//
//   - done: `return ctx.Exit()` (HR_EXIT_HDL + exit). Once every member is
//     done the group ends and its state (every block with its group key)
//     is freed, as in ChorusOS.
//   - failed: an error, a panic, or any abnormal termination below. The
//     group restarts, per its restart policy.
//   - hold: `return ctx.Hold(reason)`. The group stops for good and keeps
//     every block; aps shows it held-service with the reason, it stays held
//     across site restarts, and the operator decides: `resume GID`
//     (ResumeGroup) starts it again from its blocks, `akill -g GID`
//     (KillGroup) frees them. Nothing is charged to the policy. It is the
//     end for what a restart cannot mend and the state must survive: a
//     state this version cannot load (ErrStateMismatch, ErrStateCorrupt), a
//     bank with no room. A Hold wins over an Exit in one incarnation.
//
// The kernel releases a service's hold on the boot that rolls an upgrade
// back (ReleaseServiceHold, for the groups its trial watched): the hold was
// the new version's judgement of a state the old one wrote.
//
// Abnormal terminations of a restartable actor are: a panic (recovered, its
// stack logged; CPU faults arrive as panics, see the kernel), an error
// returned, nil returned without Exit (a premature exit), runtime.Goexit,
// Kill (`akill AID`), a missed heartbeat (SetHeartbeat/Beat, opt-in), and
// the kernel's fault injection through Inject when the program acts on it.
// Once an actor has been told to stop (its Done channel closed), whatever
// it returns counts as stopped, not as a failure; Exit called while
// stopping does not mark it clean.
//
// # Group restart
//
// Any abnormal termination of a member restarts its group (further
// failures while the group restarts are part of the same restart):
//
//  1. the policy is charged and persisted (below); over the limit the
//     controller requests a site restart instead and stops the group;
//  2. every running member is told to stop (Done) and gets StopTimeout to
//     return. Goroutines cannot be killed: a member still running after it
//     makes the group inconsistent, and the controller requests a site
//     restart (SiteRestartRequest names the member);
//  3. if the failing member ran less than MinRunTime, the restart waits
//     (backoff, below);
//  4. only the direct actors start again, with their original program and
//     arguments, new aids and the next generation. Every member's clean
//     flag is cleared: the group runs again from its direct actors' entry
//     points. Indirect actors are not started by the controller: their
//     spawners spawn them again by name. Until then they are "blocked" in
//     Actors() (the ChorusOS blocked actors), and a group with a blocked
//     member can never terminate cleanly — akill -g is the remedy.
//
// Persistent blocks are untouched by restarts.
//
// # Persistent blocks
//
// Two namespaces, decided so that two instances of a program never share
// state by accident and a group's live data cannot be freed under it:
//
//   - AllocateGroup(name) is per group: the bank block is "<name>@<gid>"
//     (GroupBlockName), tagged with the group key and freed with the group.
//     `arun -g 3 counter` and `arun -g 4 counter` have COUNTER@3 and
//     COUNTER@4; `akill -g 3` frees only the first. This is what the
//     examples use. A name leaves room for the suffix (at most
//     pmm.MaxNameLen bytes in all).
//   - Allocate(name, size, key) is site-wide, the pmmAllocate semantics:
//     every actor that names the block gets it, which is how actors share
//     state on purpose. Retrieving a block that another group's key tags is
//     refused (ErrBlockInUse).
//
// A block that carries a live group's key, or that a running actor has
// allocated or retrieved in its current incarnation ("mapped"), is not freed
// from outside that group: Controller.FreeBlock and FreeKey (the console's
// `pmm free` and `pmm freeall`) and Context.Free/FreeAll of an actor of
// another group fail with ErrBlockInUse and name the group or actor; nothing
// is freed. A group may free its own blocks.
//
// Typed state. Load[T](ctx, name) keeps a value of a fixed-size,
// pointer-free type T in the group block name, as a pmm/record (two copies,
// sequence number, CRC-32C): Get returns the last committed value, Commit
// stores a new one, and a reset in the middle of a Commit leaves the
// previous value, never a mix. T is checked at Load (no pointers, slices,
// strings, maps, interfaces, channels or functions; no int, uint or
// uintptr, whose size differs between board and host; exported fields), and
// a fingerprint of its layout is kept with the value, so a block loaded as
// another type is refused (ErrStateMismatch) instead of misread. The
// counter and spawn examples keep their state this way; raw blocks stay for
// bulk data updated in place (the spawn example's message, the maze).
//
// # Changing a state's type
//
// The block also keeps the layout of the type that wrote it (field names,
// kinds, sizes, array lengths, nesting: a few bytes per field). When Load
// finds another layout — a new version of the service after `upgrade`, or
// an older one after a rollback — it migrates the value by field name,
// commits the result as a record (a reset in the middle leaves the old
// value, readable by both versions) and logs once what it dropped and
// added ("hr: state ODO@1: migrated from layout …: dropped Old; added
// Trips"). Type names do not matter. The rules:
//
//	change                                  result
//	same name and kind                      copied
//	field added                             zero
//	field removed                           dropped, listed in the log line;
//	                                        an error when it holds a value
//	                                        while another field is added (a
//	                                        rename without its tag, a change
//	                                        of meaning), naming both
//	fields reordered                        copied by name
//	renamed, tag hr:"was=Old" (or "A,B")    copied from Old; the tag is kept
//	                                        in the block, so the older type
//	                                        reads the field back by its name
//	integer to integer (widened, narrowed,  copied when the value fits the new
//	  signed ↔ unsigned)                    kind, else an error naming the
//	                                        field and the value
//	float32 ↔ float64, complex64 ↔ 128      copied when the value is the same
//	                                        number in the new kind, else an error
//	nested struct                           field by field, by the same rules
//	array longer                            elements copied, new ones zero
//	array shorter                           the prefix kept, the rest dropped
//	                                        and listed ("Hist[4:8]")
//	[N]byte strings                         as arrays: longer pads with zeros
//	bool                                    copied (bool only to bool)
//	another kind (int ↔ float, bool ↔ int,  error: ErrStateMismatch naming the
//	  scalar ↔ array or struct)             field; nothing is written
//
// An error leaves the block as it was and fails the Load, so the service
// does not start with a half-understood value. A change of meaning (units,
// a field split in two) is an explicit migration: a typed function
// registered with the programs (RegisterMigration[Old, New]), Old being a
// frozen copy of the old type under any name. Load runs the functions whose
// old layout is the stored one, chained, then the rules by name to T if the
// chain stops short of it; an error from a function fails the Load with it
// and leaves the block as it was; the result is committed, so a function
// runs once. A block whose layout it
// has no record of (written before layouts were kept) is read only as its
// own type. The bank does not grow a block: a new type whose value and
// layout no longer fit the pages the old one took (a type that outgrows
// 2 KiB, for one) is refused with ErrStateMismatch. Package
// actors/statetest lets a service's own tests check its migrations on the
// host.
//
// A program declares its states where it is registered
// (WithState[T](name)): Register checks T then, so a type the bank cannot
// keep refuses that program at boot, naming the field, instead of a
// restart loop (statetest.Check and CheckPrograms run the same check in a
// service's go test). The build records the declared layouts and the
// explicit migrations in the image's manifest (tools/statedecl), and a
// running image tries every state of its bank against the new image's
// layouts before an upgrade's switch (CheckBlock), refusing the upgrade,
// naming the field, when one cannot be taken. ShowState prints a state by
// field from its block alone (the console's `state show`). Str16, Map16 and
// their larger kin hold strings and small maps in fixed-size state.
//
// An ordinary actor (`arun` without -g) has no group key and no group
// blocks (AllocateGroup is ErrNotRestartable), so nothing it leaves behind
// can be mistaken for a restartable actor's state; the hello example keeps
// no block at all when it runs as one.
//
// # Calls
//
// An actor serves a name with Serve[Req, Rep](ctx, name), receives
// *Request values on the channel it returns, in its own loop (its state
// keeps one writer), and answers each with Reply. Anyone with the
// Controller (kernel.Controller() in a console command, on the serial
// console and over SSH) or a Context calls it with Call[Req, Rep](from,
// name, req, timeout), as gen_server:call. The name is registered for the
// serving incarnation's lifetime: gone when it stops, there again when it
// restarts and serves; the group record keeps the names its members serve
// (at most 8), so they are known across site restarts. A call to a
// restarting server waits up to its timeout (on the controller's clock); a
// call to a held server fails at once, `odometer@1 is held (policy):
// resume 1` (ErrHeld); to a name nobody serves, ErrNoService; a server
// that ends before replying (a crash) fails the call at once
// (ErrCallFailed); other types than the server's, ErrCallType; an actor
// calling a name it serves itself, ErrCallSelf at once.
//
// # Group termination and kill
//
// When every member of a group has terminated cleanly, the group
// terminates: its records (system blocks) and every block with its group
// key (GroupKey, Context.AllocateGroup) are freed in one atomic
// pmm.SysFreeAll, its names are unregistered and the gid is free. KillGroup
// (`akill -g`, hrKillGroup) does the same after stopping every member
// without restart; it persists a killed flag first, so a kill cut short by a
// reset is finished by New at the next boot. Blocks with other keys are
// never freed by the controller.
//
// # Restart policy
//
// Each group has a policy (Policy: MaxBadness, Interval, MinRunTime,
// MaxBackoff). By default it is the controller's Config, i.e. the ChorusOS
// tunables hrCtrl.maxBadness and hrCtrl.interval and the backoff tunables;
// a group gets its own when it is created, from its program
// (Programs.Register with WithPolicy) and then Run's RunPolicy (`arun -g
// GID -badness N -interval D -backoff MIN-MAX`, ParsePolicyFlags). Its own
// policy is kept in its group record, so it survives site restarts and
// upgrades; aps shows every group's (POLICY, "(own)" when it has its own,
// even with the tunables' values). Its values stay within the tunables'
// ranges (Policy.Validate). ResumeGroup (`resume GID`) starts a group in
// its backoff delay at once. Below, MaxBadness and Interval are the
// group's.
//
// The ChorusOS tunables hrCtrl.maxBadness and hrCtrl.interval are public but
// their rule is not; this controller defines it per group, as a windowed
// count in the spirit of Erlang's intensity/period, with time t on the
// persistent clock (run time summed over every boot, Deps.RunTime — the
// clock the kernel's crash-loop breaker uses):
//
//	on each abnormal termination at time t:
//	    badness = max(0, badness − ⌊(t − lastFailure) / Interval⌋) + 1
//	    lastFailure = t
//	    if badness > MaxBadness: escalate (below) instead of a group restart
//
// That is: each failure adds 1; the badness decays by 1 for every full
// Interval without a failure, whether or not the site restarted meanwhile.
// With the defaults (MaxBadness 3, Interval 10 s) three failures in a row
// pass; a fourth less than 10 s after the third escalates, a fourth 10 s or
// more after it passes (badness 3 again). MaxBadness 0 escalates on the
// first failure. Badness, last failure (time and text), the restart counter
// and the escalation are in the group record.
//
// Escalation. The first time a group goes over the limit, the controller
// asks for a site restart (SitePolicy). After it, the group gets a fair
// start: New sets its badness to MaxBadness−1 (at least 0) and Resume
// starts it after one backoff delay (MinRunTime), while every other group
// starts at once. If the group goes over the limit again within its
// probation — (MaxBadness+1) × Interval after the escalation, the time its
// badness needs to decay from over the limit to zero — the controller holds
// that group instead of restarting the site: its members stop, it shows as
// "held-policy" in aps, the hold is persisted (site restarts do not bring
// it back), and only `resume GID` (ResumeGroup: badness 0, escalation
// forgotten) or `akill -g GID` end it. Every other group runs on. So one
// failing group costs at most one site restart per probation, and a
// deterministic error — a program that fails at every start, a spawn
// refused at hrCtrl.maxActors — holds its own group instead of driving the
// site into the kernel's safe mode, which stays for site-wide loops (faults
// outside actors, the watchdog, members that do not stop, actors asking
// for site restarts). A member that does not stop is still a site restart.
//
// The escalation message names the real cause: "policy: group 2 badness 4 >
// maxBadness 3 within 10s", followed, when the badness this boot started
// with made the difference, by ": 1 failure this boot on top of badness 3
// carried over the site restart".
//
// Worked timelines, defaults (MaxBadness 3, Interval 10 s, MinRunTime 1 s),
// t on the persistent clock:
//
//	decay across a site restart:
//	  t=0,0.1,0.2 s  three failures: badness 1, 2, 3, group restarts
//	  t=9 s          operator `restart` (site restart; badness 3 kept)
//	  t=10.2 s       failure: 10 s after the last one, 3−1+1 = 3: group restart
//	                 (on this boot's clock alone it would have been 4: escalation)
//
//	one group failing at every start (a deterministic error):
//	  t=0…0.3 s      failures 1–3: group restarts (backoff 1 s, 2 s, 4 s)
//	  t≈7 s          failure 4: badness 4 > 3: site restart, escalation noted
//	  next boot      group 2 gets badness 2 and starts after 1 s; others at once
//	  +1 s           failure: badness 3: group restart (backoff)
//	  +3 s           failure: badness 4 > 3 within the 40 s probation:
//	                 group 2 held; no site restart, no safe mode
//	  `resume 2`     badness 0, group 2 runs again
//
//	a group that is fine after its escalation:
//	  t=0 s          escalation, site restart; fair start at badness 2
//	  t=45 s         failure: the probation (40 s) is over and the badness has
//	                 decayed to 0: badness 1, group restart
//
// Restart counter: every restart of a group counts — a group restart, the
// start of its direct actors by Resume after a site restart (or a warm
// reset, or leaving safe mode), and `resume GID` — as the ChorusOS guide
// says ("each time a group is restarted, the system increases its restart
// counter by one"). aps shows it with the last failure, both kept across
// site restarts.
//
// Backoff (Hubris's lesson: a crash loop must not starve the console): if
// the failing member had run less than MinRunTime, the restart waits
// MinRunTime, doubled for every further quick failure of the group in a
// row, capped at MaxBackoff; a failure after MinRunTime or more restarts at
// once and resets the sequence. MinRunTime 0 or MaxBackoff 0 disables it.
// The backoff sequence is not persisted (a fair start begins it at one
// delay). Defaults: MinRunTime 1 s, MaxBackoff 5 s, StopTimeout 2 s,
// MaxActors 64, MaxGroups 16.
//
// # Group states
//
// A group's life is one state machine, in one file (groupstate.go): its
// phases, the data each needs (a service hold's reason, a fair start, the
// end of a backoff delay), the table of allowed moves, and group.to, the
// only way to move, which refuses (and logs) any other. aps shows each
// phase by its word; the three that wait for someone are "held" (waiting
// for Resume: reopened from the bank, or shut down), "held-policy" and
// "held-service".
//
//	arun -g ──► running ──failure──► stopping ──► backoff ──┐
//	              ▲  ▲                  │  (ran < MinRunTime) │
//	              │  └──────────────────┴─────────────────────┘
//	              │
//	  New ──► held ──Resume──► running (or backoff, a fair start)
//	  New ──► held-policy / held-service ──resume GID──► running
//
//	from          to             when (who)
//	running       stopping       a member failed within the policy (failLocked)
//	              held-policy    it went over the policy again within its probation (holdLocked)
//	              held-service   a member returned after Context.Hold (holdServiceLocked)
//	              site-restart   it went over the policy (failLocked)
//	              gone           every member exited cleanly (exitedLocked)
//	stopping      running        the members stopped (restartGroup)
//	              backoff        the members stopped; the failing one ran < MinRunTime (restartGroup)
//	              site-restart   a member did not stop within StopTimeout (restartGroup)
//	backoff       running        the delay ended (restartGroup), or `resume GID` cut it short
//	held          running        Resume (boot, site restart, leaving safe mode)
//	              backoff        Resume of a fair start
//	held-policy   running        `resume GID` (ResumeGroup): hold and escalation forgotten
//	held-service  running        `resume GID` (ResumeGroup)
//	              held           an upgrade's rollback released the hold (ReleaseServiceHold)
//	held-*        site-restart   a member of the hold did not stop (awaitHeld)
//	killing       gone           every member stopped: its blocks are freed (finishKill)
//	              site-restart   a member did not stop (finishKill)
//	any but gone  killing        `akill -g GID` (beginKill; refused while killing)
//	running, stopping, backoff → held: Shutdown
//
// The group record's killed and held flags are the phase's (a reset during
// a kill finishes it; a hold survives site restarts). Badness, the restart
// counter and the escalation are the policy's memory, not a phase: a
// running group may be on probation.
//
// # Events
//
// What happens to a group (started, restarting, fair start, backoff cut
// short, resumed, held by the policy or its service, escalated,
// inconsistent, killed, terminated) and an actor's abnormal end are
// published as Event values (events.go, in the spirit of suture's
// EventHook), with the controller's uptime on its injected Clock, to
// Deps.Events, in order and outside the lock. Event.String is the one
// wording of their console lines; the kernel prints it, so the console
// reads as before. Without Events, Log gets the lines; with neither,
// nothing is built.
//
// # Persistent records and sizing
//
// Everything the controller persists is a one-page System block named
// "__SYS.hr.…":
//
//	__SYS.hr.ctl        controller record: end of the aid lease   (key __SYS.hr.ctl)
//	__SYS.hr.g<gid>     group record: restarts, badness, last     (key __SYS.hr.g<gid>)
//	                    failure (time, text), escalation, held,
//	                    killed, aid lease end
//	__SYS.hr.a<id>      actor record: name, program, args, kind,  (key __SYS.hr.g<gid>)
//	                    spawner, clean flag, generation, aid lease end
//
// A group's membership is the set of actor records with its key, so
// registering a member is one pmm allocation and ending a group one
// SysFreeAll. Each record is a pmm/record (two copies with a sequence
// number and a CRC-32C); an update rewrites the older copy, so a reset in
// the middle of a write falls back to the previous version, and a record
// with no valid copy is reported and never trusted (the member shows as "corrupt"; akill -g
// frees it). A record allocated but never written (a reset inside a
// registration) is freed at the next New: its aid was never reported.
// Arguments are bounded by the record: name, program, spawner and args
// together at most about 2 KB (ErrTooLong).
//
// All of these count against pmm.maxBlocks and the bank's pages. Rule of
// thumb for the tunables:
//
//	pmm.maxBlocks    ≥ 1 + G + A + B
//	pmm.rambankSize  ≥ metadata pages + (1 + G + A) × 4 KiB + Σ application blocks rounded up to 4 KiB
//
// where G is the number of restart groups in use at once, A the registered
// restartable actors (at most hrCtrl.maxActors) and B the application's own
// blocks (group-key blocks included). With the defaults (30 blocks, 1 MiB)
// one group of three actors takes 5 blocks and 20 KiB, leaving 25 blocks for
// the application. When the bank is full, Run and Spawn fail with the pmm
// error (pmm.ErrTooManyBlocks, pmm.ErrNoSpace) and leave nothing behind.
//
// # Concurrency
//
// One mutex guards the controller; it is never held while actor code, the
// kernel's SiteRestart, Log or Events run. Restarts run on their own goroutine, so
// Kill returns at once; KillGroup and Shutdown wait (bounded) for the
// actors to return. Nothing in a group restart depends on the number of
// other groups.
package actors
