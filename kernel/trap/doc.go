// Package trap is the code that runs when the CPU takes an exception or the
// runtime dies: the CPU-fault handler that turns an actor's fault into a Go
// panic of that actor (fault.go, fault_arm.s), the runtime exit hook that
// turns a fatal error into a recorded site restart (exit.go), and printk,
// through which both print (printk.go). Its name is the Unix one for this
// code (trap.c in 4.4BSD and xv6, arch/arm/kernel/traps.c in Linux: where a
// CPU exception enters, is turned into a signal or ends in die()). What may
// run here, and why, is below; the kernel installs what this package needs
// of it once at boot (Install, Hooks), so this package imports neither the
// kernel nor a board (of the project, only kernel/crashlog, the ring).
//
// # How a fault arrives
//
// tamago's vectors (tamago arm/exception.s, macro EXCEPTION; installed by
// arm.(*CPU).Init with arm.SystemVectorTable) take every exception the same
// way: SP is set to SP_usr, the faulting goroutine's stack pointer (System
// mode shares User mode's banked SP; ARM ARM B1.3, "ARM processor modes and
// ARM core registers"), the mode's offset is taken off LR so that it holds
// the faulting instruction (8 for a Data Abort, 4 for an Undefined
// Instruction or a Prefetch Abort; ARM ARM B1.8, "Link values saved on
// exception entry"), and r0-r12 and that LR are pushed just below SP_usr:
// 14 words, the frame faultHandler reads (frameWords). runtime.CallOnG0
// (tamago-go src/runtime/sys_tamago_arm.s) then calls
// arm.SystemExceptionHandler(vector) — faultHandler once Install ran — on
// g0's stack. The CPU is still in the exception's mode (Abort, Undefined or
// Supervisor) with CPSR.I set by the exception entry (ARM ARM B1.8,
// "Exception entry"; B1.9 describes each exception): no IRQ, no scheduler,
// the one core runs nothing else until the handler returns. The stub then
// pops the frame and returns with MOVS PC, LR (ARM ARM B1.8, "Exception
// return") to whatever the frame's LR slot holds: the faulting instruction
// again, or, when the handler redirected the fault, faultTrampoline, which
// makes the faulting function look as if it had called runtime.sigpanic
// (the toolchain gives that name FuncID_sigpanic, cmd/internal/objabi
// funcid.go, so that runtime/traceback.go unwinds through it as through
// linux/arm's preparePanic in runtime/signal_arm.go). The fault address
// comes from DFAR or IFAR (ARM ARM B4.1.52, B4.1.96), SP_usr from
// MRS (Banked register) (ARM ARM B9.3; the Virtualization Extensions,
// which the Cortex-A7 has).
//
// # Where code of this package runs
//
//   - exception context: faultHandler, fatalException and what they call
//     (printk, Hooks.Tx, Hooks.Fatal, Hooks.Reset), on g0's 64 KiB stack
//     (tamago-go's rt0_arm_tamago cuts it from the boot stack below
//     RamStart+RamSize-RamStackOffset; it does not grow), with the faulting
//     goroutine's registers in the frame below its own SP;
//   - a dying runtime: exit (goos.Exit), called from the runtime's fatal
//     paths on any stack, possibly with runtime locks held;
//   - any context: printk is the runtime's console (goos.Printk), so it
//     also runs inside the allocator and the scheduler;
//   - ordinary goroutines: TrackActor, at each actor goroutine's start and
//     end, and faultPanic, on the faulting goroutine once the handler has
//     returned to faultTrampoline: from there it is an ordinary panic.
//
// # Rules for the first three
//
//   - No allocation: no new, make, append that grows, string
//     concatenation, fmt, errors.New, closures that capture, maps, or
//     conversions to an interface of non-pointer values. The fault may
//     have hit inside mallocgc, or the heap may be what is broken.
//     Strings are constants or built in a static buffer (whyBuf).
//   - No lock that the interrupted goroutine may hold: it cannot run
//     until the handler returns, so waiting for it never ends. No
//     sync.Mutex.Lock (TryLock, as bootrec.Store.IntendFatal does), no
//     channel operation, no time.Sleep, nothing of actors, pmm or the
//     console that locks.
//   - No panic, no defer/recover, no deep recursion: a panic on g0 is
//     fatal ("panic on system stack") and g0's stack does not grow.
//   - Safe to call: print and println (the runtime's print lock is
//     reentrant on the one M), printk, the Hooks, runtime.FuncForPC and
//     (*runtime.Func).Name (they read the pclntab; no allocation for
//     non-generic functions), sync/atomic, plain loads and stores through
//     unsafe.
//   - The handler either returns to a goroutine (the faulting instruction,
//     or faultTrampoline) or does not return (Hooks.Reset after
//     Hooks.Fatal).
//
// A fault is redirected only when it is an actor's (actorGs, actors.go),
// its PC is not in the runtime (which may hold the scheduler's or the
// heap's locks, where a panic would deadlock or corrupt the heap) and no
// other redirection is in flight (redirected). Every other fault is
// recorded and restarts the site.
//
// # Package state
//
// Only what a handler must reach without an argument, each documented
// where it is declared: hooks (set once by Install, before the handlers are
// live), actorGs (one store per slot, by TrackActor), pending and
// redirected (from the handler to faultPanic), whyBuf (one fatal fault's
// reason), and printk's ring, early and earlyN (the crash log, attached
// once the bank is open).
package trap
