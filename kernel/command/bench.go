package command

import (
	"fmt"
	"io"
	"time"

	"github.com/hotrestart/tamago-hr/kernel/console"
)

// benchName is the scratch block `bench` allocates and frees again.
const benchName = "bench.scratch"

// cmdBench times pmm on the bank itself: on the board the bank is Normal
// non-cacheable DRAM, so these figures differ from the host benchmarks
// (make bench) in a way only the target can show.
func (c *set) cmdBench(out io.Writer, _ []string) error {
	bank := c.sys.Bank()
	if _, _, err := bank.Lookup(benchName); err == nil {
		return fmt.Errorf("bench: block %s exists; free it first", benchName)
	}
	run := func(what string, n int, op func() error) error {
		start := time.Now()
		for i := 0; i < n; i++ {
			if err := op(); err != nil {
				return fmt.Errorf("bench: %s: %w", what, err)
			}
		}
		d := time.Since(start)
		fmt.Fprintf(out, "%-28s %6d ops %10.1f µs/op\n", what, n, float64(d)/float64(n)/1e3)
		return nil
	}
	st := bank.Stats()
	fmt.Fprintf(out, "bench: bank of %d pages, %d/%d blocks\n", st.Pages, st.Blocks, st.MaxBlocks)
	steps := []struct {
		what string
		n    int
		op   func() error
	}{
		{"pmm allocate + free", 200, func() error {
			if _, err := bank.Allocate(benchName, 4096, "bench"); err != nil {
				return err
			}
			return bank.Free(benchName)
		}},
		{"pmm retrieve", 2000, func() error {
			_, err := bank.Allocate(benchName, 4096, "bench")
			return err
		}},
		{"pmm verify (whole bank)", 100, bank.Verify},
	}
	for _, s := range steps {
		if err := run(s.what, s.n, s.op); err != nil {
			return err
		}
	}
	return bank.Free(benchName)
}

func (c *set) addBenchCommands(sh *console.Shell) {
	sh.MustAdd(console.Cmd{Name: "bench", Help: "time pmm operations on the bank itself", Fn: c.withBank(c.cmdBench)})
	sh.MustAdd(console.Cmd{Name: "bench restart", Syntax: "[-groups N] [-n RESTARTS]",
		Help:    "time group restarts (8 actors, failure to all running) with N other groups (default 1, n 200)",
		MaxArgs: 4, Fn: c.withBank(c.cmdBenchRestart)})
}
