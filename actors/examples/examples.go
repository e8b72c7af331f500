// Package examples holds the programs built into the image: the ChorusOS
// hot restart examples (hello, spawn), the maze demo, a counter service and
// small helpers for tests and demos. Each is an actors.Program, run from the
// console with `arun [-g GID] NAME ARGS…`.
package examples

import (
	"errors"
	"fmt"
	"time"

	"github.com/hotrestart/tamago-hr/actors"
)

// Set is the examples with what pure Go cannot do passed in: a firmware
// gives Undefined, an instruction the CPU does not define (the kernel's
// kernel.UndefinedInstruction, an ARM udf), so that `inject AID undef`
// takes the CPU's exception; nil panics alike instead (host tests).
type Set struct {
	Undefined func()
}

// Register adds every example to progs, with no Undefined (Set.Register).
func Register(progs *actors.Programs) error { return Set{}.Register(progs) }

// Register adds every example to progs.
func (s Set) Register(progs *actors.Programs) error {
	for _, p := range []struct {
		name string
		prog actors.Program
		help string
	}{
		{"hello", s.Hello, "helloRestart: prints, crashes through a bad pointer, comes back, cleans up"},
		{"spawn", s.Parent, "restartSpawn parent: spawns `child`, crashes CRASHES times (default 2)"},
		{"child", s.Child, "restartSpawn child: builds STEP 1 … STEP 4 with a persistent checkpoint"},
		{"maze", s.Maze, "maze demo: [-rate STEPS/S] [-headless] [-seed N] [-size WxH]"},
		{"counter", s.Counter, "counter service: serves a persistent counter to `counter-client`"},
		{"counter-client", s.CounterClient, "reads the counter service and checks it is consistent"},
		{"churn", s.Churn, "allocates and frees blocks without pause (journal stress)"},
		{"idle", s.Idle, "waits to be stopped, heartbeating; reacts to inject"},
		{"echo", s.Echo, "prints its arguments and exits cleanly"},
		{"chaos", s.Chaos, "fails on purpose N times, cycling fault kinds, then exits: N [KIND…]"},
	} {
		if err := progs.Register(p.name, p.prog, p.help); err != nil {
			return err
		}
	}
	return nil
}

// undefined executes s.Undefined, or, where none was given, panics as the
// CPU's exception would make it.
func (s Set) undefined() {
	if s.Undefined == nil {
		panic("undefined instruction (simulated: no assembly here)")
	}
	s.Undefined()
}

// ErrInjected is what an `inject … error` returns.
var ErrInjected = errors.New("injected error")

// badPointer is never allocated: writing through it touches page 0, which
// the MMU leaves unmapped, so the CPU takes a data abort (helloRestart's
// "bad pointer").
var badPointer *[8]uint32

// zero is a variable so the compiler cannot fold the division.
var zero = 0

// Misbehave makes the calling actor fail the way kind says; it returns the
// error a program should return (nil when the kind is not an error return).
func (s Set) Misbehave(ctx *actors.Context, kind string) error {
	ctx.Printf("%s: injected %s\n", ctx.Name(), kind)
	switch kind {
	case "panic":
		panic("injected panic")
	case "error":
		return ErrInjected
	case "exit":
		return nil // returning without Exit(): a premature exit
	case "hang":
		// No more heartbeats until stopped. A program that set none gets
		// one now, so that a hang is noticed in every example.
		if ctx.HeartbeatPeriod() == 0 {
			ctx.SetHeartbeat(hangHeartbeat)
		}
		<-ctx.Done()
		return actors.ErrStopped
	case "spin":
		//lint:ignore SA5002 never yielding is the point: the watchdog must catch it
		for {
		}
	case "nil":
		badPointer[4] = 1
	case "undef":
		s.undefined()
	case "div0":
		_ = 1 / zero
	}
	return fmt.Errorf("inject: unknown kind %q", kind)
}

// hangHeartbeat is the heartbeat an injected hang arms in a program that
// has none: the controller notices the hang this long after.
const hangHeartbeat = time.Second

// wait pauses d, acting on injected faults meanwhile: it returns
// Misbehave's result on a fault, ErrStopped when told to stop, nil after d.
func (s Set) wait(ctx *actors.Context, d time.Duration) (stop bool, err error) {
	t := time.NewTimer(d)
	defer t.Stop()
	select {
	case kind := <-ctx.Faults():
		return true, s.Misbehave(ctx, kind)
	case <-ctx.Done():
		return true, actors.ErrStopped
	case <-t.C:
		return false, nil
	}
}

// poll acts on a pending injected fault or stop request without waiting:
// stop is true when the program must return err.
func (s Set) poll(ctx *actors.Context) (stop bool, err error) {
	select {
	case <-ctx.Done():
		return true, actors.ErrStopped
	case kind := <-ctx.Faults():
		return true, s.Misbehave(ctx, kind)
	default:
		return false, nil
	}
}

// Idle waits until it is stopped, heartbeating every 100 ms when it runs as
// a restartable actor.
func (s Set) Idle(ctx *actors.Context) error {
	if ctx.Restartable() {
		ctx.SetHeartbeat(time1s)
	}
	for {
		if stop, err := s.poll(ctx); stop {
			return err
		}
		ctx.Beat()
		if err := ctx.Sleep(tick); err != nil {
			return err
		}
	}
}

// Echo prints its arguments and exits cleanly.
func (s Set) Echo(ctx *actors.Context) error {
	ctx.Printf("%s\n", joinArgs(ctx.Args()))
	return ctx.Exit()
}
