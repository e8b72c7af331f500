package examples

import (
	"fmt"
	"runtime"

	"github.com/hotrestart/tamago-hr/actors"
)

// churnBlocks is how many blocks Churn keeps in play at once.
const churnBlocks = 4

// Churn exercises the bank's journal without pause: it allocates and frees
// blocks named churn.0 … churn.3 (key "churn", one page each), and every
// few rounds frees them all at once (a multi-slot free). It prints nothing,
// so a reset can cut any of its commits at any moment: the QEMU test
// TestJournalCutsBySystemReset does exactly that.
//
//	arun churn
func (s Set) Churn(ctx *actors.Context) error {
	var names [churnBlocks]string
	for i := range names {
		names[i] = fmt.Sprintf("churn.%d", i)
	}
	for i := 0; ; i++ {
		if stop, err := s.poll(ctx); stop {
			return err
		}
		name := names[i%churnBlocks]
		if i%(3*churnBlocks+1) == 0 {
			_, _ = ctx.FreeAll("churn") // none yet is fine
		} else if err := ctx.Free(name); err != nil {
			b, err := ctx.Allocate(name, 1+i%3*100, "churn")
			if err != nil {
				ctx.Printf("churn: %v\n", err)
				return ctx.Exit()
			}
			le.PutUint32(b, uint32(i))
		}
		if i%64 == 0 {
			runtime.Gosched() // the console and the watchdog service run between operations
		}
	}
}
