package main

import (
	"context"
	"errors"
	"fmt"
	"io"
	"slices"
	"strconv"
	"sync"
	"time"

	"github.com/hotrestart/tamago-hr/actors"
)

const (
	odometerSyntax = "arun -g GID odometer"
	tick           = 100 * time.Millisecond
	step           = 10  // meters per tick
	every          = 100 // meters between two lines on the console
)

// services is how the console reaches the running services: each group's
// odometer answers requests on its own channel. In memory only: a restart
// makes a new channel, the state comes from the bank.
var services struct {
	mu sync.Mutex
	ch map[int]chan chan odoState // group -> its odometer
}

// Odometer adds step meters every tick and commits each time. It hands its
// context.Context to drive, as it would to any library; faults injected
// with `inject AID KIND` make it panic, whatever the kind. A group has one
// odometer: its state has one writer.
func Odometer(ctx *actors.Context) error {
	gid := ctx.Group()
	q := make(chan chan odoState)
	if !register(gid, q) {
		ctx.Printf("odometer %d: group %d has an odometer already\n", gid, gid)
		return ctx.Exit()
	}
	defer unregister(gid, q)
	st, err := actors.Load[odoState](ctx, "ODO")
	if err != nil {
		return err
	}
	s := st.Get()
	s.Starts++
	more := onStart(&s)
	if err := st.Commit(s); err != nil {
		return err
	}
	ctx.Printf("odometer %d: start %d at %d m%s\n", gid, s.Starts, s.meters(), more)
	err = drive(ctx.Context(), st, q, ctx.Faults(), func(m uint64) { ctx.Printf("odometer %d: %d m\n", gid, m) })
	if errors.Is(err, context.Canceled) {
		return actors.ErrStopped // told to stop: not a failure
	}
	return err
}

func register(gid int, q chan chan odoState) bool {
	services.mu.Lock()
	defer services.mu.Unlock()
	if _, ok := services.ch[gid]; ok {
		return false
	}
	if services.ch == nil {
		services.ch = make(map[int]chan chan odoState)
	}
	services.ch[gid] = q
	return true
}

func unregister(gid int, q chan chan odoState) {
	services.mu.Lock()
	defer services.mu.Unlock()
	if services.ch[gid] == q {
		delete(services.ch, gid)
	}
}

// drive is the service loop; it knows only the standard context.
func drive(c context.Context, st *actors.Persistent[odoState], q chan chan odoState, faults <-chan string,
	milestone func(meters uint64)) error {
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
			s.add(step)
			if err := st.Commit(s); err != nil {
				return err
			}
			if s.meters()%every == 0 {
				milestone(s.meters())
			}
		}
	}
}

// odo is the console command: it asks a running odometer, the one of group
// GID or the only one.
func odo(out io.Writer, args []string) error {
	services.mu.Lock()
	var gids []int
	for gid := range services.ch {
		gids = append(gids, gid)
	}
	var q chan chan odoState
	switch {
	case len(args) == 1:
		gid, err := strconv.Atoi(args[0])
		if err != nil {
			services.mu.Unlock()
			return fmt.Errorf("odo: GID %q is not a number", args[0])
		}
		q = services.ch[gid]
	case len(gids) == 1:
		q = services.ch[gids[0]]
	}
	services.mu.Unlock()
	slices.Sort(gids)
	switch {
	case len(gids) == 0:
		return errors.New("the odometer is not running (arun -g GID odometer)")
	case q == nil && len(args) == 1:
		return fmt.Errorf("no odometer in group %s (running in groups %v)", args[0], gids)
	case q == nil:
		return fmt.Errorf("odometers run in groups %v: odo GID", gids)
	}
	reply := make(chan odoState, 1)
	select {
	case q <- reply:
	case <-time.After(time.Second):
		return errors.New("the odometer does not answer (restarting?)")
	}
	s := <-reply
	fmt.Fprintf(out, "odometer: %d m, start %d\n", s.meters(), s.Starts)
	return nil
}
