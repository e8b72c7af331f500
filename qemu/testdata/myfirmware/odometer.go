package main

import (
	"context"
	"errors"
	"fmt"
	"io"
	"sync"
	"time"

	"github.com/hotrestart/tamago-hr/actors"
)

// odoState is what the odometer keeps across restarts: a fixed-size,
// pointer-free struct, committed whole (a reset mid-commit leaves the
// previous value).
type odoState struct {
	Meters uint64 // distance so far
	Starts uint32 // starts of the service: first run, group and site restarts
}

const (
	odometerSyntax = "arun -g GID odometer"
	tick           = 100 * time.Millisecond
	step           = 10  // meters per tick
	milestone      = 100 // meters between two lines on the console
)

// queries is how the console reaches the running service: the odometer
// answers each request with its state. In memory only: a restart makes a
// new channel, the state comes from the bank.
var queries struct {
	mu sync.Mutex
	ch chan chan odoState
}

// Odometer adds step meters every tick and commits each time. It hands its
// context.Context to drive, as it would to any library; faults injected
// with `inject AID KIND` make it panic.
func Odometer(ctx *actors.Context) error {
	st, err := actors.Load[odoState](ctx, "ODO")
	if err != nil {
		return err
	}
	s := st.Get()
	s.Starts++
	if err := st.Commit(s); err != nil {
		return err
	}
	ctx.Printf("odometer: start %d at %d m\n", s.Starts, s.Meters)
	q := make(chan chan odoState)
	queries.mu.Lock()
	queries.ch = q
	queries.mu.Unlock()
	err = drive(ctx.Context(), st, q, ctx.Faults(), ctx.Printf)
	if errors.Is(err, context.Canceled) {
		return actors.ErrStopped // told to stop: not a failure
	}
	return err
}

// drive is the service loop; it knows only the standard context.
func drive(c context.Context, st *actors.Persistent[odoState], q chan chan odoState, faults <-chan string,
	printf func(string, ...any)) error {
	t := time.NewTicker(tick)
	defer t.Stop()
	for {
		select {
		case <-c.Done():
			return c.Err()
		case kind := <-faults:
			panic("odometer: injected " + kind)
		case reply := <-q:
			reply <- st.Get()
		case <-t.C:
			s := st.Get()
			s.Meters += step
			if err := st.Commit(s); err != nil {
				return err
			}
			if s.Meters%milestone == 0 {
				printf("odometer: %d m\n", s.Meters)
			}
		}
	}
}

// odo is the console command: it asks the running odometer.
func odo(out io.Writer, _ []string) error {
	queries.mu.Lock()
	q := queries.ch
	queries.mu.Unlock()
	reply := make(chan odoState, 1)
	select {
	case q <- reply:
	case <-time.After(time.Second):
		return errors.New("the odometer is not running (arun -g GID odometer)")
	}
	s := <-reply
	fmt.Fprintf(out, "odometer: %d m, start %d\n", s.Meters, s.Starts)
	return nil
}
