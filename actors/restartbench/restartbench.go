// Package restartbench measures a group restart: a group of 8 direct
// actors, from its failure (an akill of one member) to all 8 running their
// program again, while other groups (one actor each) stay alive. The
// firmware's `bench restart` runs it on the target and `make bench` on the
// host (actors/bench_test.go), so both report the same path.
//
// It runs its own controller, with the restart policy out of the way
// (MinRunTime 0: no backoff; Interval 1 ns: the badness decays at once, no
// escalation) and no log, over a bank of its own: in memory the caller
// gives (a scratch block of the real bank, to include its memory type) or
// on the heap. A restart's end is seen by the last member to start, so
// the harness adds one wakeup, not eight.
package restartbench

import (
	"errors"
	"fmt"
	"runtime"
	"slices"
	"sync/atomic"
	"time"

	"github.com/hotrestart/tamago-hr/actors"
	"github.com/hotrestart/tamago-hr/pmm"
)

// Size is the number of actors in the measured group.
const Size = 8

// MaxOthers is the most other groups: group ids 1 … 255, as the firmware's
// largest hrCtrl.maxGroups (256) allows.
const MaxOthers = 255

// Options says what to measure.
type Options struct {
	Others   int    // other groups alive meanwhile, 0 … MaxOthers
	Restarts int    // restarts measured, ≥ 1
	Mem      []byte // bank memory, ≥ BankSize(Others) bytes; nil: the heap
}

// Result is the latency of each restart, sorted.
type Result struct{ Samples []time.Duration }

// Percentile is the nearest-rank percentile p (0 < p ≤ 100).
func (r Result) Percentile(p float64) time.Duration {
	i := int(p/100*float64(len(r.Samples))+0.999999) - 1
	return r.Samples[min(max(i, 0), len(r.Samples)-1)]
}

// Mean is the average restart latency.
func (r Result) Mean() time.Duration {
	var sum time.Duration
	for _, d := range r.Samples {
		sum += d
	}
	return sum / time.Duration(len(r.Samples))
}

// geometry is the bank Run needs: a record block per actor and per group,
// the controller record and slack for the metadata.
func geometry(others int) pmm.Geometry {
	blocks := 2*others + Size + 2
	g := pmm.Geometry{Size: pmm.PageSize, MaxBlocks: blocks}
	g.Size = (g.MetaPages() + blocks) * pmm.PageSize
	return g
}

// BankSize is the bank memory Run needs for others other groups, in bytes.
func BankSize(others int) int { return geometry(others).Size }

// ErrOptions is returned for options out of range.
var ErrOptions = errors.New("restartbench: bad options")

// Run measures o.Restarts group restarts. Errors: ErrOptions, or what the
// controller returned (a restart that did not complete within 10 s, a
// site restart request: neither happens unless the path is broken).
func Run(o Options) (Result, error) {
	switch {
	case o.Others < 0 || o.Others > MaxOthers:
		return Result{}, fmt.Errorf("%w: %d other groups, 0 … %d", ErrOptions, o.Others, MaxOthers)
	case o.Restarts < 1:
		return Result{}, fmt.Errorf("%w: %d restarts, at least 1", ErrOptions, o.Restarts)
	}
	g := geometry(o.Others)
	mem := o.Mem
	if mem == nil {
		mem = make([]byte, g.Size)
	}
	if len(mem) < g.Size {
		return Result{}, fmt.Errorf("%w: %d bytes of bank memory, %d other groups need %d", ErrOptions, len(mem), o.Others, g.Size)
	}
	clear(mem[:g.MetaPages()*pmm.PageSize]) // a fresh bank, whatever the memory held
	bank, _, err := pmm.Open(mem[:g.Size], g)
	if err != nil {
		return Result{}, err
	}
	cfg := actors.DefaultConfig()
	cfg.MaxGroups, cfg.MaxActors = o.Others+1, o.Others+Size
	cfg.MinRunTime = 0
	cfg.Interval = time.Nanosecond
	// The last member of group 0 to start says so: the measurement's end
	// costs one wakeup, not Size.
	var running atomic.Int32
	allUp := make(chan actors.AID, 1)
	site := make(chan string, 1)
	progs := &actors.Programs{}
	if err := progs.Register("member", func(ctx *actors.Context) error {
		if ctx.Group() == 0 && running.Add(1) == Size {
			allUp <- ctx.AID()
		}
		<-ctx.Done()
		return actors.ErrStopped
	}, "a restart benchmark member"); err != nil {
		return Result{}, err
	}
	ctl, err := actors.New(bank, cfg, progs, actors.Deps{SiteRestart: func(r actors.SiteRestartRequest) {
		select {
		case site <- r.Reason:
		default:
		}
	}})
	if err != nil {
		return Result{}, err
	}
	defer ctl.Shutdown(time.Second)
	for gid := 1; gid <= o.Others; gid++ {
		if _, err := ctl.Run(gid, "member", nil); err != nil {
			return Result{}, err
		}
	}
	for range Size {
		if _, err := ctl.Run(0, "member", nil); err != nil {
			return Result{}, err
		}
	}
	t := time.NewTimer(time.Hour)
	defer t.Stop()
	victim, err := await(allUp, site, t)
	if err != nil {
		return Result{}, err
	}
	// Collect what the setup allocated, so that a cycle it made due does
	// not land among the restarts (one costs milliseconds under QEMU); a
	// cycle the restarts themselves make still counts.
	runtime.GC()
	res := Result{Samples: make([]time.Duration, o.Restarts)}
	for i := range res.Samples {
		running.Store(0)
		t.Reset(10 * time.Second)
		t0 := time.Now()
		if err := ctl.Kill(victim); err != nil {
			return Result{}, err
		}
		if victim, err = await(allUp, site, t); err != nil {
			return Result{}, fmt.Errorf("restart %d: %w", i+1, err)
		}
		res.Samples[i] = time.Since(t0)
	}
	slices.Sort(res.Samples)
	return res, nil
}

// await waits until all Size members of group 0 run and returns the aid of
// the last one to start (the next victim).
func await(allUp <-chan actors.AID, site <-chan string, t *time.Timer) (actors.AID, error) {
	select {
	case last := <-allUp:
		return last, nil
	case r := <-site:
		return 0, fmt.Errorf("site restart requested: %s", r)
	case <-t.C:
		return 0, fmt.Errorf("group 0 not running again after 10 s")
	}
}
