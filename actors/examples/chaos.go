package examples

import (
	"fmt"
	"slices"
	"strconv"
	"time"

	"github.com/hotrestart/tamago-hr/actors"
)

// chaosKinds are the faults Chaos cycles through by default: every kind
// Inject knows but spin, which starves the whole scheduler (a watchdog
// reset, not a group restart).
var chaosKinds = []string{"panic", "error", "exit", "hang", "nil", "undef", "div0"}

// chaosPace is how long an incarnation runs before it fails: at most ten
// failures a second per group, which the badness decay (hrCtrl.interval
// 100 ms in the soak image) absorbs.
const chaosPace = 100 * time.Millisecond

// Chaos fails on purpose, N times in all, then exits cleanly: `chaos N
// [KIND…]`. Each incarnation counts itself in a group block (so the count
// survives group and site restarts), runs chaosPace with a 200 ms
// heartbeat, and fails with the next kind in turn (default: every kind but
// spin). It is the soak test's load: thousands of group restarts of every
// kind without a console command each.
func (s Set) Chaos(ctx *actors.Context) error {
	args := ctx.Args()
	if len(args) < 1 {
		ctx.Printf("chaos: usage: chaos N [KIND…]\n")
		return ctx.Exit()
	}
	n, err := strconv.Atoi(args[0])
	kinds := args[1:]
	if len(kinds) == 0 {
		kinds = chaosKinds
	}
	if err != nil || n < 0 || !ctx.Restartable() || slices.ContainsFunc(kinds, func(k string) bool { return !slices.Contains(actors.FaultKinds(), k) }) {
		ctx.Printf("chaos: want a count ≥ 0 and fault kinds of %v, as a restartable actor\n", actors.FaultKinds())
		return ctx.Exit()
	}
	name := fmt.Sprintf("chaos.%d", ctx.Group())
	count, err := ctx.AllocateGroup(name, 4)
	if err != nil {
		ctx.Printf("chaos: %v\n", err)
		return ctx.Exit()
	}
	done := int(le.Uint32(count))
	if done >= n {
		ctx.Printf("chaos: group %d done after %d failures\n", ctx.Group(), done)
		if err := ctx.Free(name); err != nil {
			ctx.Printf("chaos: free %s: %v\n", name, err)
		}
		return ctx.Exit()
	}
	le.PutUint32(count, uint32(done+1))
	ctx.SetHeartbeat(2 * chaosPace)
	ctx.Beat()
	if err := ctx.Sleep(chaosPace); err != nil {
		return err
	}
	ctx.Beat()
	return s.Misbehave(ctx, kinds[done%len(kinds)])
}
