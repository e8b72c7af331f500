package kernel

import (
	"bytes"
	"fmt"
	"io"
	"strconv"
	"time"

	"github.com/hotrestart/tamago-hr/board/tunables"
	"github.com/hotrestart/tamago-hr/kernel/bootrec"
	"github.com/hotrestart/tamago-hr/kernel/console"
	"github.com/hotrestart/tamago-hr/kernel/trap"
	tunedefs "github.com/hotrestart/tamago-hr/kernel/tunables"
	"github.com/hotrestart/tamago-hr/pmm"
)

func (k *system) addSystemCommands() {
	sh := k.shell
	sh.MustAdd(console.Cmd{Name: "bank", Syntax: "[-json]", Help: "bank address, size, cold/warm state, boot counters", MaxArgs: 1, Fn: k.cmdBank})
	sh.MustAdd(console.Cmd{Name: "restart", Help: "site restart: all groups come back, the bank is kept", Fn: k.cmdRestart})
	sh.MustAdd(console.Cmd{Name: "shutdown", Syntax: "-i 0|1", Help: "-i 0: stop and reboot cold; -i 1: site restart", MinArgs: 2, MaxArgs: 2, Fn: k.cmdShutdown})
	sh.MustAdd(console.Cmd{Name: "reboot", Help: "cold reboot: the bank is discarded", Fn: k.cmdReboot})
	sh.MustAdd(console.Cmd{Name: "reset", Help: "raw warm reset (no shutdown), the bank is kept", Fn: k.cmdReset})
	sh.MustAdd(console.Cmd{Name: "halt", Syntax: "[CODE]", Help: "stop; under QEMU exit with CODE (default 0)", MaxArgs: 1, Fn: k.cmdHalt})
	sh.MustAdd(console.Cmd{Name: "dmesg", Syntax: "[now]", Help: "log of the previous boot (or of this one)", MaxArgs: 1, Fn: k.cmdDmesg})
	sh.MustAdd(console.Cmd{Name: "tunables", Help: "static tunables: name, value, default, unit", Fn: k.cmdTunables})
	sh.MustAdd(console.Cmd{Name: "uptime", Help: "time since this boot", Fn: func(out io.Writer, _ []string) error {
		fmt.Fprintf(out, "up %v\n", time.Duration(k.uptimeMs())*time.Millisecond)
		return nil
	}})
}

func (k *system) cmdBank(out io.Writer, args []string) error {
	json, err := console.JSONFlag("bank", args)
	if err != nil {
		return err
	}
	if k.bank == nil {
		return fmt.Errorf("no bank")
	}
	if json {
		return console.WriteLine(out, k.bankJSON().Line)
	}
	state := "warm"
	if k.cold() {
		state = "cold"
	}
	r := k.recs.Record()
	st := k.bank.Stats()
	fmt.Fprintf(out, "bank: %#x+%#x (%d pages of %d bytes, %d free), %d/%d blocks\n",
		k.bankAddr, k.bankSize, st.Pages, pmm.PageSize, st.FreePages, st.Blocks, st.MaxBlocks)
	fmt.Fprintf(out, "state: %s (%s)\n", state, k.bankRep.Reason)
	if st.Quarantined > 0 {
		fmt.Fprintf(out, "quarantined: %d damaged records, %d pages withheld (pmm ls; pmm release SLOT)\n", st.Quarantined, st.LostPages)
	}
	if err := k.bank.Verify(); err != nil {
		fmt.Fprintf(out, "metadata: damaged since this boot, the next boot quarantines what it hits: %v\n", err)
	}
	fmt.Fprintf(out, "boot: %d\nlast reset: %s\n", r.Boots, k.start.Reason)
	fmt.Fprintf(out, "site restarts: %d, hot reboots: %d, warm resets: %d, unexpected: %d\n",
		r.SiteRestarts, r.HotReboots, r.WarmResets, r.Watchdogs)
	return nil
}

func (k *system) cmdRestart(out io.Writer, _ []string) error {
	return k.siteRestart(bootrec.SiteAsked, "console restart", fromScript(out))
}

func (k *system) cmdShutdown(out io.Writer, args []string) error {
	if args[0] != "-i" {
		return fmt.Errorf("%w: shutdown -i 0|1", console.ErrUsage)
	}
	switch args[1] {
	case "0":
		return k.cmdReboot(out, nil)
	case "1":
		return k.siteRestart(bootrec.SiteAsked, "console shutdown -i 1", fromScript(out))
	}
	return fmt.Errorf("shutdown: run level %s not supported (0 reboot, 1 site restart)", console.Quote(args[1]))
}

func (k *system) cmdReboot(out io.Writer, _ []string) error {
	return k.goDown(down{hand: handCold, kind: bootrec.PlainReset, why: "console reboot",
		say: "cold reboot, discarding the bank", script: fromScript(out)})
}

func (k *system) cmdReset(out io.Writer, _ []string) error {
	return k.goDown(down{hand: handWarm, kind: bootrec.PlainReset, why: "console reset", raw: true, script: fromScript(out)})
}

func (k *system) cmdHalt(out io.Writer, args []string) error {
	code := 0
	if len(args) == 1 {
		c, err := strconv.Atoi(args[0])
		if err != nil || c < 0 || c > 255 {
			return fmt.Errorf("halt: code %s is not 0…255", console.Quote(args[0]))
		}
		code = c
	}
	return k.goDown(down{hand: handHalt, kind: bootrec.PlainReset, why: "console halt", say: "halted", code: code, script: fromScript(out)})
}

func (k *system) cmdDmesg(out io.Writer, args []string) error {
	log := k.prevLog
	if len(args) == 1 {
		if args[0] != "now" {
			return fmt.Errorf("%w: dmesg [now]", console.ErrUsage)
		}
		now, ok := trap.Snapshot()
		if !ok {
			return fmt.Errorf("no crash log")
		}
		log = now
	}
	switch {
	case !log.Found && k.cold():
		fmt.Fprintf(out, "(no log of the previous boot: it was lost with the bank, %s)\n", k.bankRep.Reason)
		return nil
	case len(log.Text) == 0 && log.Dropped == 0:
		fmt.Fprintln(out, "(empty)")
		return nil
	case log.Dropped > 0:
		fmt.Fprintf(out, "(older lines dropped: %d bytes did not fit kern.dmesgSize)\n", log.Dropped)
	}
	// the log holds \r\n line ends; the line editor adds its own \r
	_, err := out.Write(bytes.ReplaceAll(log.Text, []byte("\r"), nil))
	fmt.Fprintln(out)
	return err
}

func (k *system) cmdTunables(out io.Writer, _ []string) error {
	cur := tunables.Current()
	for i, d := range tunedefs.Table {
		mark := ""
		if cur[i] != d.Default {
			mark = " *"
		}
		fmt.Fprintf(out, "%-22s %10d  default %-10d %-5s%s\n", d.Name, cur[i], d.Default, d.Unit, mark)
	}
	return nil
}
