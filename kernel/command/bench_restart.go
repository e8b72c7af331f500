package command

import (
	"errors"
	"fmt"
	"io"
	"slices"
	"strconv"
	"time"

	"github.com/hotrestart/tamago-hr/actors/restartbench"
	"github.com/hotrestart/tamago-hr/kernel/console"
	"github.com/hotrestart/tamago-hr/pmm"
)

// benchRestartName is the scratch block that holds the benchmark's own bank,
// so that its records live in the bank's memory type (Normal non-cacheable)
// as the real controller's do; when the bank has no room, the heap.
const benchRestartName = "bench.restart"

// benchRestartKey is the deletion key of the benchmark's block: a reserved
// one (pmm.ReservedPrefix), which no user block carries, so that a block
// with it is the bench's own, left by a bench a restart cut short.
const benchRestartKey = pmm.ReservedPrefix + ".bench"

// benchStep is how many restarts run between two looks at the session
// (a few tens of ms on the board).
const benchStep = 1000

// errBenchInterrupted ends a bench whose session was interrupted.
var errBenchInterrupted = errors.New("interrupted (the client left or typed Ctrl-C)")

// benchInSteps runs o.Restarts restarts benchStep at a time, and stops
// between two steps once stop is ready: a client that leaves, or types
// Ctrl-C, does not leave a bench running on the board for minutes.
func benchInSteps(o restartbench.Options, stop <-chan struct{}) (restartbench.Result, error) {
	var all restartbench.Result
	for done := 0; done < o.Restarts; {
		select {
		case <-stop:
			return all, fmt.Errorf("%w after %d restarts", errBenchInterrupted, done)
		default:
		}
		step := o
		step.Restarts = min(o.Restarts-done, benchStep)
		res, err := restartbench.Run(step)
		if err != nil {
			return all, err
		}
		all.Samples = append(all.Samples, res.Samples...)
		done += step.Restarts
	}
	slices.Sort(all.Samples)
	return all, nil
}

// cmdBenchRestart measures group restarts on the target with its own
// controller (restartbench): the real groups are not touched and nothing is
// logged per restart.
func (c *set) cmdBenchRestart(out io.Writer, args []string) error {
	bank := c.sys.Bank()
	o := restartbench.Options{Others: 1, Restarts: 200}
	for len(args) > 0 {
		if len(args) < 2 {
			return fmt.Errorf("%w: bench restart [-groups N] [-n RESTARTS]", console.ErrUsage)
		}
		v, err := strconv.Atoi(args[1])
		switch {
		case args[0] == "-groups" && err == nil && v >= 0 && v <= restartbench.MaxOthers:
			o.Others = v
		case args[0] == "-n" && err == nil && v >= 1 && v <= 100000:
			o.Restarts = v
		case args[0] == "-groups":
			return fmt.Errorf("bench: -groups %s: want 0 … %d other groups", console.Quote(args[1]), restartbench.MaxOthers)
		case args[0] == "-n":
			return fmt.Errorf("bench: -n %s: want 1 … 100000 restarts", console.Quote(args[1]))
		default:
			return fmt.Errorf("%w: bench restart [-groups N] [-n RESTARTS]", console.ErrUsage)
		}
		args = args[2:]
	}
	if !c.benchBusy.CompareAndSwap(false, true) {
		return fmt.Errorf("bench: a bench restart is running (another session's, or one whose client left: it runs to its end)")
	}
	defer c.benchBusy.Store(false)
	if _, info, err := bank.Lookup(benchRestartName); err == nil {
		// no bench runs (benchBusy): a block with the bench's reserved
		// key is one a way down cut short left; any other is a user's
		if info.Key != benchRestartKey {
			return fmt.Errorf("bench: block %s exists; free it first", benchRestartName)
		}
		if err := bank.Free(benchRestartName); err != nil {
			return fmt.Errorf("bench: %w", err)
		}
		fmt.Fprintf(out, "bench: freed block %s, left by a bench a restart cut short\n", benchRestartName)
	}
	where := "in bank block " + benchRestartName
	mem, err := bank.AllocateAs(pmm.User, benchRestartName, restartbench.BankSize(o.Others), benchRestartKey)
	switch {
	case errors.Is(err, pmm.ErrNoSpace) || errors.Is(err, pmm.ErrTooManyBlocks):
		where = "on the heap (no room in the bank)"
	case err != nil:
		return fmt.Errorf("bench: %w", err)
	default:
		defer func() { _ = bank.Free(benchRestartName) }()
	}
	fmt.Fprintf(out, "bench: group restart of %d actors, %d other groups, %d restarts, records %s\n",
		restartbench.Size, o.Others, o.Restarts, where)
	o.Mem = mem
	res, err := benchInSteps(o, console.InterruptOf(out))
	if err != nil {
		return fmt.Errorf("bench: %w", err)
	}
	us := func(d time.Duration) float64 { return float64(d) / 1e3 }
	fmt.Fprintf(out, "restart: p50 %.1f µs, p99 %.1f µs (min %.1f, mean %.1f, max %.1f)\n",
		us(res.Percentile(50)), us(res.Percentile(99)), us(res.Samples[0]), us(res.Mean()), us(res.Samples[len(res.Samples)-1]))
	return nil
}
