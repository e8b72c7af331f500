//go:build tamago

package trap

import (
	"fmt"
	"runtime"
	"strings"
	"unsafe"

	"github.com/usbarmory/tamago/arm"
)

// CPU faults in actors become Go panics of the faulting goroutine (the
// mechanism and its sources are in the package doc, doc.go): the exception
// handler finds the goroutine's saved registers, and when it is an actor
// outside the runtime it resumes it in faultTrampoline, which panics with a
// *Fault. The actor's own recover path then reports an abnormal termination
// and only its group restarts. Any other fault is recorded in the bank and
// restarts the site.

func spUsr() uint32
func faultAddress() (dfar, ifar uint32)
func faultTrampoline()
func faultTrampolineAddr() uint32

// Fault is the panic value of a redirected CPU fault.
type Fault struct {
	Vector int    // arm.DATA_ABORT, arm.UNDEFINED, arm.PREFETCH_ABORT
	PC     uint32 // faulting instruction
	Addr   uint32 // DFAR / IFAR, 0 for an undefined instruction
}

// Error runs in ordinary context (the actor's recover path, the log), not
// in the handler: it may allocate.
func (f *Fault) Error() string {
	s := fmt.Sprintf("cpu fault: %s at pc %#08x", arm.VectorName(f.Vector), f.PC)
	if f.Vector != arm.UNDEFINED {
		s += fmt.Sprintf(", address %#08x", f.Addr)
	}
	if fn := runtime.FuncForPC(uintptr(f.PC)); fn != nil {
		s += " in " + fn.Name()
	}
	return s
}

// RuntimeError marks it as a runtime error, like a nil dereference on linux.
func (f *Fault) RuntimeError() {}

// frameWords is what tamago's vector stub (arm/exception.s, EXCEPTION)
// pushes below SP_usr: r0-r12, r14, with r14 already the faulting PC.
const (
	frameWords = 14
	frameG     = 10 // R10 is g in the Go ARM ABI
	frameR11   = 11
	framePC    = 13
)

// TrackActor records (start) or forgets the calling goroutine; it is the
// controller's OnGoroutine hook (actors.Deps).
func TrackActor(start bool) {
	gp, _ := runtime.GetG()
	track(uintptr(gp), start)
}

var (
	pending    Fault // handed from the handler to faultPanic
	redirected bool  // a redirection is in flight: a second fault is fatal
)

// faultPanic runs on the faulting goroutine, called by runtime·sigpanic.
func faultPanic() {
	f := pending
	redirected = false
	panic(&f)
}

// faultHandler replaces arm.DefaultExceptionHandler; it runs on g0, in the
// exception's mode, IRQs masked.
func faultHandler(off int) {
	frame := (*[frameWords]uint32)(unsafe.Add(unsafe.Pointer(nil), uintptr(spUsr()-frameWords*4)))
	if off == arm.SUPERVISOR && noSemihostingHost(frame) {
		return
	}
	if off != arm.DATA_ABORT && off != arm.UNDEFINED && off != arm.PREFETCH_ABORT {
		fatalException(off, 0, 0, "unexpected exception")
	}
	pc := frame[framePC]
	dfar, ifar := faultAddress()
	addr := dfar
	switch off {
	case arm.PREFETCH_ABORT:
		addr = ifar
	case arm.UNDEFINED:
		addr = 0
	}
	switch {
	case redirected:
		fatalException(off, pc, addr, "CPU fault while redirecting a fault")
	case !isActor(uintptr(frame[frameG])):
		fatalException(off, pc, addr, "CPU fault outside any actor")
	case inRuntime(pc):
		fatalException(off, pc, addr, "CPU fault of an actor inside the runtime")
	}
	redirected = true
	pending = Fault{Vector: off, PC: pc, Addr: addr}
	frame[frameR11] = 0
	if runtime.FuncForPC(uintptr(pc)) != nil {
		frame[frameR11] = pc
	}
	frame[framePC] = faultTrampolineAddr()
}

// semihostingSVC is the A32 semihosting trap, svc 0x123456 (ARM DUI 0471),
// which board/internal/imx6 issues.
const semihostingSVC = 0xef123456

// noSemihostingHost answers a semihosting call that reached the SVC vector,
// so no emulator took it (QEMU without -semihosting): the call returns -1,
// as a failed one does, instead of the fault resetting the board at every
// boot (the wall clock asks the host's time at boot). For an SVC the frame's
// return address is the instruction after the svc.
func noSemihostingHost(frame *[frameWords]uint32) bool {
	pc := frame[framePC]
	if pc < 4 || pc&3 != 0 || runtime.FuncForPC(uintptr(pc-4)) == nil || *(*uint32)(unsafe.Add(unsafe.Pointer(nil), uintptr(pc-4))) != semihostingSVC {
		return false
	}
	frame[0] = 0xffffffff // r0: -1
	return true
}

// inRuntime reports PCs where a panic could find runtime locks held. The
// memory primitives take no locks and are where bad-pointer copies fault.
func inRuntime(pc uint32) bool {
	fn := runtime.FuncForPC(uintptr(pc))
	if fn == nil {
		return false // no Go code at all (a jump to nowhere): the trampoline copes
	}
	name := fn.Name()
	return strings.HasPrefix(name, "runtime.") && !strings.HasPrefix(name, "runtime.mem")
}

// fatalException records the fault in the boot record and warm-resets: the
// next boot reports it and brings every group back. It runs on g0 in an
// exception mode, so it prints with print and never returns.
// why must be a constant: nothing here may allocate.
func fatalException(off int, pc, addr uint32, why string) {
	why = withFunc(why, uintptr(pc))
	print("hr: fault: ", why, ": ", arm.VectorName(off), " at pc ")
	printHex(pc)
	print(" addr ")
	printHex(addr)
	print("\n")
	if hooks.Fatal != nil {
		hooks.Fatal(why)
	}
	hooks.Reset()
}

// installHandlers makes the fault handler and the exit hook live (Install).
func installHandlers() {
	arm.SystemExceptionHandler = faultHandler
	installExitHook()
}
