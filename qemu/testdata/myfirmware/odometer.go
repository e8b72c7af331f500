package main

import (
	"context"
	"errors"
	"fmt"
	"io"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/hotrestart/tamago-hr/actors"
	"github.com/hotrestart/tamago-hr/kernel"
)

const (
	odometerSyntax = "arun -g GID odometer"
	tick           = 100 * time.Millisecond
	step           = 10  // meters per tick
	every          = 100 // meters between two lines on the console
	callTimeout    = 3 * time.Second
)

// odoReq is a call to an odometer: Do "" asks for its state, "hold" makes
// it hold its group (it stops for good and keeps its state, until `resume
// GID`), "crash" makes it panic in the middle of the call.
type odoReq struct{ Do string }

// serviceName is the name group gid's odometer serves calls under.
func serviceName(gid int) string { return "odometer@" + strconv.Itoa(gid) }

// Odometer adds step meters every tick and commits each time, and answers
// calls (the `odo` command). It hands its context.Context to drive, as it
// would to any library; faults injected with `inject AID KIND` make it
// panic, whatever the kind. A group has one odometer: its state has one
// writer, and the name it serves is its group's.
func Odometer(ctx *actors.Context) error {
	gid := ctx.Group()
	reqs, err := actors.Serve[odoReq, odoState](ctx, serviceName(gid))
	if errors.Is(err, actors.ErrNameTaken) {
		ctx.Printf("odometer %d: group %d has an odometer already\n", gid, gid)
		return ctx.Exit()
	} else if err != nil {
		return err
	}
	st, err := actors.Load[odoState](ctx, "ODO")
	if err != nil && !ctx.Restartable() {
		return err // `arun odometer` without -g: no group, no state
	} else if err != nil {
		// A restart cannot mend a state this version cannot read, and
		// Exit would free it: hold the group, keeping the state for the
		// operator (or the rollback of an upgrade) to decide.
		return ctx.Hold("ODO: " + err.Error())
	}
	s := st.Get()
	s.Starts++
	more := onStart(&s)
	if err := st.Commit(s); err != nil {
		return err
	}
	ctx.Printf("odometer %d: start %d at %d m%s\n", gid, s.Starts, s.meters(), more)
	err = drive(ctx.Context(), st, reqs, ctx.Faults(), func(m uint64) { ctx.Printf("odometer %d: %d m\n", gid, m) })
	switch {
	case errors.Is(err, context.Canceled):
		return actors.ErrStopped // told to stop: not a failure
	case errors.Is(err, errHold):
		return ctx.Hold("held from the console")
	}
	return err
}

var errHold = errors.New("hold asked")

// drive is the service loop; it knows only the standard context.
func drive(c context.Context, st *actors.Persistent[odoState], reqs <-chan *actors.Request[odoReq, odoState],
	faults <-chan string, milestone func(meters uint64)) error {
	t := time.NewTicker(tick)
	defer t.Stop()
	for {
		select {
		case <-c.Done():
			return c.Err()
		case kind := <-faults:
			panic("odometer: injected " + kind)
		case r := <-reqs:
			switch r.Arg.Do {
			case "crash":
				panic("odometer: crash asked by a call")
			case "hold":
				r.Reply(st.Get(), nil)
				return errHold
			}
			r.Reply(st.Get(), nil)
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

// odo is the console command (also over SSH): it calls an odometer, the
// one of group GID or the only one; `hold` or `crash` after the GID are
// passed on (odoReq).
func odo(out io.Writer, args []string) error {
	ctl, err := kernel.Controller()
	if err != nil {
		return err
	}
	var gids []int
	for _, s := range ctl.Services() {
		if g, ok := strings.CutPrefix(s.Name, "odometer@"); ok {
			if n, err := strconv.Atoi(g); err == nil {
				gids = append(gids, n)
			}
		}
	}
	slices.Sort(gids)
	gid := -1
	switch {
	case len(args) >= 1:
		if gid, err = strconv.Atoi(args[0]); err != nil {
			return fmt.Errorf("odo: GID %q is not a number", args[0])
		}
		if !slices.Contains(gids, gid) && len(gids) > 0 {
			return fmt.Errorf("no odometer in group %d (running in groups %v)", gid, gids)
		}
	case len(gids) == 1:
		gid = gids[0]
	case len(gids) > 1:
		return fmt.Errorf("odometers run in groups %v: odo GID", gids)
	}
	if len(gids) == 0 {
		return errors.New("the odometer is not running (arun -g GID odometer)")
	}
	var req odoReq
	if len(args) == 2 {
		req.Do = args[1]
		if req.Do != "hold" && req.Do != "crash" {
			return fmt.Errorf("odo: %q: want hold or crash", req.Do)
		}
	}
	s, err := actors.Call[odoReq, odoState](ctl, serviceName(gid), req, callTimeout)
	if err != nil {
		return err
	}
	fmt.Fprintf(out, "odometer: %d m, start %d\n", s.meters(), s.Starts)
	if req.Do == "hold" {
		fmt.Fprintf(out, "odometer %d: holding its group (resume %d)\n", gid, gid)
	}
	return nil
}
