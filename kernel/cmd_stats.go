package kernel

import (
	"fmt"
	"io"
	"runtime"
	"runtime/metrics"
	"time"

	"github.com/hotrestart/tamago-hr/kernel/console"
)

// addStatsCommands registers stats and gc: what the runtime holds, so a
// leak across restarts shows as numbers that grow.
func (k *system) addStatsCommands() {
	k.shell.MustAdd(console.Cmd{Name: "stats", Syntax: "[-json]", Help: "heap, GCs, goroutines, stacks, uptime, restarts, boot checks", MaxArgs: 1, Fn: k.cmdStats})
	k.shell.MustAdd(console.Cmd{Name: "gc", Help: "force a GC now; heap before and after", Fn: k.cmdGC})
}

// liveHeap is the heap marked live by the last GC, in bytes (0 before the
// first GC).
func liveHeap() uint64 {
	s := []metrics.Sample{{Name: "/gc/heap/live:bytes"}}
	metrics.Read(s)
	if s[0].Value.Kind() != metrics.KindUint64 {
		return 0
	}
	return s[0].Value.Uint64()
}

// cmdStats prints one "name: value" line each, sizes in bytes, so tests
// and people read the same numbers.
func (k *system) cmdStats(out io.Writer, args []string) error {
	json, err := console.JSONFlag("stats", args)
	if err != nil {
		return err
	}
	if json {
		return console.WriteLine(out, k.statsJSON().Line)
	}
	var m runtime.MemStats
	runtime.ReadMemStats(&m)
	fmt.Fprintf(out, "heap in use: %d bytes\n", m.HeapInuse)
	fmt.Fprintf(out, "heap after last GC: %d bytes\n", liveHeap())
	fmt.Fprintf(out, "GCs: %d\n", m.NumGC)
	fmt.Fprintf(out, "goroutines: %d\n", runtime.NumGoroutine())
	fmt.Fprintf(out, "stack in use: %d bytes\n", m.StackInuse)
	fmt.Fprintf(out, "uptime: %v\n", (time.Duration(k.uptimeMs()) * time.Millisecond))
	fmt.Fprintf(out, "date: %s\n", k.wall.describe())
	k.board.ConsoleStats(out)
	fmt.Fprintf(out, "group restarts: %d since boot\n", k.groupRestarts())
	fmt.Fprintf(out, "site restarts: %d in the bank's life\n", k.recs.Record().SiteRestarts)
	restore, _ := k.board.RestoreReport()
	fmt.Fprintf(out, "writable data: %s\n", restore)
	fmt.Fprintf(out, "bss canary: %#08x\n", k.board.BSSCanary())
	k.laps.writeSiliconStats(out, k.board)
	return nil
}

// cmdGC runs runtime.GC: the quickest way to make a corrupt heap or a
// stale GC mask show itself.
func (k *system) cmdGC(out io.Writer, _ []string) error {
	var before, after runtime.MemStats
	runtime.ReadMemStats(&before)
	runtime.GC()
	runtime.ReadMemStats(&after)
	fmt.Fprintf(out, "gc: heap in use %d -> %d bytes, GCs %d\n", before.HeapInuse, after.HeapInuse, after.NumGC)
	return nil
}
