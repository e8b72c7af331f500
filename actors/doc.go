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
// reused, even across site restarts: the counter is persisted) and, for a
// restartable actor, the next generation. Operations on an aid of an
// earlier incarnation fail with ErrStaleAID.
//
// # Termination
//
// A program ends cleanly with `return ctx.Exit()` (HR_EXIT_HDL + exit).
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
// The ChorusOS tunables hrCtrl.maxBadness and hrCtrl.interval are public but
// their rule is not; this controller defines it per group, as a windowed
// count in the spirit of Erlang's intensity/period:
//
//	on each abnormal termination at time t:
//	    badness = max(0, badness − ⌊(t − lastFailure) / Interval⌋) + 1
//	    lastFailure = t
//	    if badness > MaxBadness: site restart instead of a group restart
//
// That is: each failure adds 1; the badness decays by 1 for every full
// Interval without a failure. With the defaults (MaxBadness 3, Interval
// 10 s) three failures in a row pass; a fourth less than 10 s after the
// third escalates, a fourth 10 s or more after it passes (badness 3 again).
// MaxBadness 0 escalates on the first failure. Badness, last failure and
// the restart counter are in the group record, so the badness that caused a
// site restart survives it. The clock's origin changes with every boot, so
// New keeps each group's badness as it is and restarts its decay from the
// time of New ("fresh timestamp"): a group that fails again soon after the
// site restart escalates again, and the kernel's crash-loop breaker (not
// this package) stops a site-restart loop.
//
// Backoff (Hubris's lesson: a crash loop must not starve the console): if
// the failing member had run less than MinRunTime, the restart waits
// MinRunTime, doubled for every further quick failure of the group in a
// row, capped at MaxBackoff; a failure after MinRunTime or more restarts at
// once and resets the sequence. MinRunTime 0 or MaxBackoff 0 disables it.
// The backoff sequence is not persisted. Defaults: MinRunTime 1 s,
// MaxBackoff 5 s, StopTimeout 2 s, MaxActors 64, MaxGroups 16.
//
// # Persistent records and sizing
//
// Everything the controller persists is a one-page System block named
// "__SYS.hr.…":
//
//	__SYS.hr.ctl        controller record: end of the aid lease   (key __SYS.hr.ctl)
//	__SYS.hr.g<gid>     group record: restarts, badness, killed   (key __SYS.hr.g<gid>)
//	__SYS.hr.a<id>      actor record: name, program, args, kind,  (key __SYS.hr.g<gid>)
//	                    spawner, clean flag, generation
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
// kernel's SiteRestart or Log run. Restarts run on their own goroutine, so
// Kill returns at once; KillGroup and Shutdown wait (bounded) for the
// actors to return. Nothing in a group restart depends on the number of
// other groups.
package actors
