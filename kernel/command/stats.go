package command

import (
	"fmt"
	"io"

	"github.com/hotrestart/tamago-hr/kernel/console"
	"github.com/hotrestart/tamago-hr/kernel/wallclock"
)

// addStatsCommands registers stats and gc: what the runtime holds, so a
// leak across restarts shows as numbers that grow.
func addStatsCommands(sh *console.Shell, m Machine) {
	sh.MustAdd(console.Cmd{Name: "stats", Syntax: "[-json]", Help: "heap, GCs, goroutines, stacks, uptime, restarts, boot checks", MaxArgs: 1, Fn: func(out io.Writer, args []string) error {
		return stats(m, out, args)
	}})
	sh.MustAdd(console.Cmd{Name: "gc", Help: "force a GC now; heap before and after", Fn: func(out io.Writer, _ []string) error {
		g := m.GC()
		fmt.Fprintf(out, "gc: heap in use %d -> %d bytes, GCs %d\n", g.HeapBefore, g.HeapAfter, g.GCs)
		return nil
	}})
}

// stats prints one "name: value" line each, sizes in bytes, so tests and
// people read the same numbers; with -json the same values on one line.
func stats(m Machine, out io.Writer, args []string) error {
	json, err := console.JSONFlag("stats", args)
	if err != nil {
		return err
	}
	s := m.Stats()
	if json {
		return console.WriteLine(out, s.StatsJSON.Line)
	}
	fmt.Fprintf(out, "heap in use: %d bytes\n", s.HeapInuse)
	fmt.Fprintf(out, "heap after last GC: %d bytes\n", s.HeapLive)
	fmt.Fprintf(out, "GCs: %d\n", s.GCs)
	fmt.Fprintf(out, "goroutines: %d\n", s.Goroutines)
	fmt.Fprintf(out, "stack in use: %d bytes\n", s.StackInuse)
	fmt.Fprintf(out, "uptime: %v\n", uptimeOf(s.UptimeMs))
	fmt.Fprintf(out, "date: %s\n", s.Clock)
	io.WriteString(out, s.Console)
	fmt.Fprintf(out, "group restarts: %d since boot\n", s.GroupRestarts)
	fmt.Fprintf(out, "site restarts: %d in the bank's life\n", s.SiteRestarts)
	fmt.Fprintf(out, "writable data: %s\n", s.WritableData)
	fmt.Fprintf(out, "bss canary: %#08x\n", s.BSSCanary)
	io.WriteString(out, s.Silicon)
	return nil
}

// String is `date`'s line: the date in UTC, the real-time clock's source
// and the kept correction, or why there is no real-time clock.
func (c Clock) String() string {
	if c.Source == "" {
		return fmt.Sprintf("%s (no real-time clock: %v)", wallclock.Format(c.Now), c.NoRTC)
	}
	return fmt.Sprintf("%s (%s, correction %s)", wallclock.Format(c.Now), c.Source, wallclock.FormatDelta(c.Correction))
}
