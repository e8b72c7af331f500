package examples

import (
	"errors"
	"fmt"
	"sync"
	"time"

	"github.com/hotrestart/tamago-hr/actors"
)

// The counter service shows why groups restart together: `counter` keeps a
// value in typed persistent state and serves it over a channel to
// `counter-client`, which it spawns in its group. A channel does not survive
// its server; because a failure of either restarts both, the client always
// talks to the live server and sees the count go on from where it was.

// services is the in-memory rendezvous: group -> the live server's channel.
var services sync.Map

const (
	counterPeriod = 200 * time.Millisecond
	counterWait   = 2 * time.Second // for the server's channel
)

// counterState is the counter's persistent state (actors.Load): a
// fixed-size value committed whole, so a reset never leaves half a count.
type counterState struct {
	N uint64 // the last value served
}

// Counter runs as `arun -g GID counter`.
func (s Set) Counter(ctx *actors.Context) error {
	st, err := actors.Load[counterState](ctx, "COUNTER")
	if err != nil {
		ctx.Printf("counter: %v\n", err)
		return ctx.Exit()
	}
	n := st.Get().N
	ctx.Printf("counter: serving from %d\n", n)
	if _, err := ctx.Spawn(fmt.Sprintf("counter-client.%d", ctx.Group()), "counter-client"); errors.Is(err, actors.ErrRunning) {
		// a second counter in the group: the client is the other one's,
		// and a state has one writer. It stays a member that leaves at
		// every start, touching nothing.
		ctx.Printf("counter: group %d has a counter already\n", ctx.Group())
		return ctx.Exit()
	} else if err != nil {
		return fmt.Errorf("counter: spawn client: %w", err)
	}
	// published once the client is ours; the client looks it up each time
	ch := make(chan uint64)
	services.Store(ctx.Group(), ch)
	defer services.CompareAndDelete(ctx.Group(), ch)

	ctx.SetHeartbeat(2 * time.Second)
	for {
		ctx.Beat()
		select {
		case <-ctx.Done():
			return actors.ErrStopped
		case kind := <-ctx.Faults():
			return s.Misbehave(ctx, kind)
		case ch <- n + 1:
			n++
			if err := st.Commit(counterState{N: n}); err != nil {
				return fmt.Errorf("counter: %w", err)
			}
		case <-time.After(counterPeriod):
		}
	}
}

// CounterClient reads the service and checks each value is the previous +1.
func (s Set) CounterClient(ctx *actors.Context) error {
	var last uint64
	var missing time.Duration
	for {
		if stop, err := s.wait(ctx, counterPeriod); stop {
			return err
		}
		v, ok := services.Load(ctx.Group())
		if !ok {
			// the server publishes its channel after spawning us
			if missing += counterPeriod; missing >= counterWait {
				return fmt.Errorf("counter-client: no counter service in group %d", ctx.Group())
			}
			continue
		}
		missing = 0
		select {
		case <-ctx.Done():
			return actors.ErrStopped
		case n := <-v.(chan uint64):
			switch {
			case last == 0:
				ctx.Printf("counter-client: connected at %d\n", n)
			case n != last+1:
				return fmt.Errorf("counter-client: inconsistent: %d after %d", n, last)
			case n%10 == 0:
				ctx.Printf("counter-client: %d\n", n)
			}
			last = n
		case <-time.After(counterWait):
			// a server that stopped serving: look the service up again
		}
	}
}
