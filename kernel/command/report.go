package command

import (
	"bytes"
	"fmt"
	"io"
	"time"

	"github.com/hotrestart/tamago-hr/board/tunables"
	"github.com/hotrestart/tamago-hr/kernel/console"
	tunedefs "github.com/hotrestart/tamago-hr/kernel/tunables"
)

// The commands that read the bank's and this boot's record: bank, dmesg,
// tunables, uptime.

func addReportCommands(sh *console.Shell, m Machine) {
	sh.MustAdd(console.Cmd{Name: "bank", Syntax: "[-json]", Help: "bank address, size, cold/warm state, boot counters", MaxArgs: 1, Fn: func(out io.Writer, args []string) error {
		return bank(m, out, args)
	}})
	sh.MustAdd(console.Cmd{Name: "dmesg", Syntax: "[now]", Help: "log of the previous boot (or of this one)", MaxArgs: 1, Fn: func(out io.Writer, args []string) error {
		return dmesg(m, out, args)
	}})
	sh.MustAdd(console.Cmd{Name: "tunables", Help: "static tunables: name, value, default, unit", Fn: func(out io.Writer, _ []string) error {
		writeTunables(out, tunables.Current())
		return nil
	}})
	sh.MustAdd(console.Cmd{Name: "uptime", Help: "time since this boot", Fn: func(out io.Writer, _ []string) error {
		fmt.Fprintf(out, "up %v\n", m.Uptime())
		return nil
	}})
}

// bank prints the bank's values, as text or with -json as one line.
func bank(m Machine, out io.Writer, args []string) error {
	json, err := console.JSONFlag("bank", args)
	if err != nil {
		return err
	}
	b, err := m.BankStatus()
	if err != nil {
		return err
	}
	if json {
		return console.WriteLine(out, b.Line)
	}
	fmt.Fprintf(out, "bank: %#x+%#x (%d pages of %d bytes, %d free), %d/%d blocks\n",
		b.Addr, b.Size, b.Pages, b.PageSize, b.FreePages, b.Blocks, b.MaxBlocks)
	fmt.Fprintf(out, "state: %s (%s)\n", b.State, b.Reason)
	if b.Quarantined > 0 {
		fmt.Fprintf(out, "quarantined: %d damaged records, %d pages withheld (pmm ls; pmm release SLOT)\n", b.Quarantined, b.LostPages)
	}
	if b.MetadataError != "" {
		fmt.Fprintf(out, "metadata: damaged since this boot, the next boot quarantines what it hits: %s\n", b.MetadataError)
	}
	fmt.Fprintf(out, "boot: %d\nlast reset: %s\n", b.Boots, b.LastReset)
	fmt.Fprintf(out, "site restarts: %d, hot reboots: %d, warm resets: %d, unexpected: %d\n",
		b.SiteRestarts, b.HotReboots, b.WarmResets, b.Unexpected)
	return nil
}

// dmesg prints the previous boot's log, or with now this boot's.
func dmesg(m Machine, out io.Writer, args []string) error {
	now := len(args) == 1
	if now && args[0] != "now" {
		return fmt.Errorf("%w: dmesg [now]", console.ErrUsage)
	}
	log, err := m.Log(now)
	if err != nil {
		return err
	}
	cold, reason := m.ColdBank()
	switch {
	case !log.Found && cold:
		fmt.Fprintf(out, "(no log of the previous boot: it was lost with the bank, %s)\n", reason)
		return nil
	case len(log.Text) == 0 && log.Dropped == 0:
		fmt.Fprintln(out, "(empty)")
		return nil
	case log.Dropped > 0:
		fmt.Fprintf(out, "(older lines dropped: %d bytes did not fit kern.dmesgSize)\n", log.Dropped)
	}
	// the log holds \r\n line ends; the line editor adds its own \r
	_, err = out.Write(bytes.ReplaceAll(log.Text, []byte("\r"), nil))
	fmt.Fprintln(out)
	return err
}

// writeTunables prints one line per static tunable, its value cur[i]
// marked with * where it is not the default.
func writeTunables(out io.Writer, cur []int64) {
	for i, d := range tunedefs.Table {
		mark := ""
		if cur[i] != d.Default {
			mark = " *"
		}
		fmt.Fprintf(out, "%-22s %10d  default %-10d %-5s%s\n", d.Name, cur[i], d.Default, d.Unit, mark)
	}
}

// uptimeOf rounds an age down to whole milliseconds, as `uptime` and
// `stats` print it.
func uptimeOf(ms int64) time.Duration { return time.Duration(ms) * time.Millisecond }
