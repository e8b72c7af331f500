package command

import (
	"encoding/hex"
	"errors"
	"fmt"
	"io"
	"strconv"
	"text/tabwriter"

	"github.com/hotrestart/tamago-hr/kernel/console"
	"github.com/hotrestart/tamago-hr/kernel/tunables"
	"github.com/hotrestart/tamago-hr/pmm"
)

// maxDump bounds `pmm dump` so a big block cannot flood the console.
const maxDump = 4096

func (c *set) addPmmCommands(sh *console.Shell) {
	sh.MustAdd(console.Cmd{Name: "pmm ls", Syntax: "[-json]", Help: "list the bank's blocks", MaxArgs: 1, Fn: c.withBank(c.cmdPmmLs)})
	sh.MustAdd(console.Cmd{Name: "pmm stat", Help: "pages and blocks used and free, largest free run", Fn: c.withBank(c.cmdPmmStat)})
	sh.MustAdd(console.Cmd{Name: "pmm alloc", Syntax: "NAME SIZE [KEY]", Help: "allocate or retrieve a block (SIZE in bytes, K/M suffix; KEY default \"console\")", MinArgs: 2, MaxArgs: 3, Fn: c.withBank(c.cmdPmmAlloc)})
	sh.MustAdd(console.Cmd{Name: "pmm free", Syntax: "NAME", Help: "free one block (not one a running group uses)", MinArgs: 1, MaxArgs: 1, Fn: c.withBank(c.cmdPmmFree)})
	sh.MustAdd(console.Cmd{Name: "pmm freeall", Syntax: "KEY", Help: "free every block of key KEY (none a group uses)", MinArgs: 1, MaxArgs: 1, Fn: c.withBank(c.cmdPmmFreeAll)})
	sh.MustAdd(console.Cmd{Name: "pmm dump", Syntax: "NAME [BYTES]", Help: fmt.Sprintf("hex dump of a block's start (256 bytes, max %d)", maxDump), MinArgs: 1, MaxArgs: 2, Fn: c.withBank(c.cmdPmmDump)})
	sh.MustAdd(console.Cmd{Name: "pmm write", Syntax: "NAME TEXT", Help: "write TEXT at the start of a block", MinArgs: 2, MaxArgs: 2, Fn: c.withBank(c.cmdPmmWrite)})
	sh.MustAdd(console.Cmd{Name: "pmm verify", Help: "check the bank's metadata checksums now", Fn: c.withBank(c.cmdPmmVerify)})
	sh.MustAdd(console.Cmd{Name: "pmm release", Syntax: "SLOT", Help: "free a damaged record's slot and its withheld pages", MinArgs: 1, MaxArgs: 1, Fn: c.withBank(c.cmdPmmRelease)})
}

// withBank refuses bank commands when the bank could not be opened.
func (c *set) withBank(fn console.Fn) console.Fn {
	return func(out io.Writer, args []string) error {
		if c.sys.Bank() == nil {
			return errors.New("pmm: no bank")
		}
		return fn(out, args)
	}
}

func (c *set) cmdPmmLs(out io.Writer, args []string) error {
	bank := c.sys.Bank()
	json, err := console.JSONFlag("pmm ls", args)
	if err != nil {
		return err
	}
	if json {
		return console.WriteLine(out, NewPmmLsJSON(bank.Blocks(), bank.Quarantined()).Line)
	}
	tw := tabwriter.NewWriter(out, 0, 0, 2, ' ', 0)
	fmt.Fprintln(tw, "NAME\tKEY\tOWNER\tPAGE\tPAGES\tBYTES")
	for _, b := range bank.Blocks() {
		fmt.Fprintf(tw, "%s\t%s\t%s\t%d\t%d\t%d\n", b.Name, b.Key, b.Owner, b.FirstPage, b.Pages, b.Pages*pmm.PageSize)
	}
	// Damaged records: the name as read, unverified; the pages withheld.
	for _, q := range bank.Quarantined() {
		name := q.Name
		if name == "" {
			name = "?"
		}
		fmt.Fprintf(tw, "%s\t-\tQUARANTINED slot %d\t%d\t%d\t%d\n", name, q.Slot, q.FirstPage, q.Pages, q.Pages*pmm.PageSize)
	}
	if err := tw.Flush(); err != nil {
		return err
	}
	for _, q := range bank.Quarantined() {
		fmt.Fprintf(out, "quarantined: %s\n", q)
	}
	return nil
}

// cmdPmmRelease frees a quarantined record's slot and pages: the operator
// has saved what the block held (pmm ls shows where) or gives it up.
func (c *set) cmdPmmRelease(out io.Writer, args []string) error {
	bank := c.sys.Bank()
	slot, err := strconv.Atoi(args[0])
	if err != nil {
		return fmt.Errorf("pmm release: slot %s is not a number (pmm ls shows the slots)", console.Quote(args[0]))
	}
	if err := bank.Release(slot); err != nil {
		return fmt.Errorf("pmm release %d: %w", slot, err)
	}
	fmt.Fprintf(out, "released slot %d\n", slot)
	return nil
}

func (c *set) cmdPmmStat(out io.Writer, _ []string) error {
	bank := c.sys.Bank()
	s := bank.Stats()
	fmt.Fprintf(out, "page size %d; pages %d: %d used, %d free, %d metadata; largest free run %d pages\n",
		pmm.PageSize, s.Pages, s.UsedPages, s.FreePages, s.MetaPages, s.LargestFreeRun)
	fmt.Fprintf(out, "blocks %d of %d\n", s.Blocks, s.MaxBlocks)
	if s.Quarantined > 0 {
		fmt.Fprintf(out, "quarantined %d damaged records, %d pages withheld\n", s.Quarantined, s.LostPages)
	}
	return nil
}

func (c *set) cmdPmmAlloc(out io.Writer, args []string) error {
	bank := c.sys.Bank()
	size, err := tunables.ParseValue(args[1])
	if err != nil || size < 1 || size > int64(bank.Geometry().Size) {
		return fmt.Errorf("pmm alloc: size %s is not 1…%d bytes", console.Quote(args[1]), bank.Geometry().Size)
	}
	key := "console"
	if len(args) == 3 {
		key = args[2]
	}
	_, _, lookErr := bank.Lookup(args[0])
	mem, err := bank.Allocate(args[0], int(size), key)
	if err != nil {
		return fmt.Errorf("pmm alloc %s: %w", console.Quote(args[0]), err)
	}
	verb := "allocated"
	if lookErr == nil {
		verb = "retrieved"
	}
	fmt.Fprintf(out, "%s %s: %d pages (%d bytes)\n", verb, args[0], len(mem)/pmm.PageSize, len(mem))
	return nil
}

// cmdPmmFree goes through the controller, which refuses a block a live
// group's key tags or a running actor has mapped.
func (c *set) cmdPmmFree(out io.Writer, args []string) error {
	bank := c.sys.Bank()
	ctl := c.sys.Controller()
	if args[0] == benchRestartName && c.benchBusy.Load() {
		return fmt.Errorf("pmm free %s: in use by a running bench restart", console.Quote(args[0]))
	}
	free := bank.Free
	if ctl != nil {
		free = ctl.FreeBlock
	}
	if err := free(args[0]); err != nil {
		return fmt.Errorf("pmm free %s: %w", console.Quote(args[0]), err)
	}
	fmt.Fprintf(out, "freed %s\n", args[0])
	return nil
}

func (c *set) cmdPmmFreeAll(out io.Writer, args []string) error {
	bank := c.sys.Bank()
	ctl := c.sys.Controller()
	freeAll := bank.FreeAll
	if ctl != nil {
		freeAll = ctl.FreeKey
	}
	n, err := freeAll(args[0])
	if err != nil {
		return fmt.Errorf("pmm freeall %s: %w", console.Quote(args[0]), err)
	}
	fmt.Fprintf(out, "freed %d blocks with key %s\n", n, args[0])
	return nil
}

func (c *set) cmdPmmDump(out io.Writer, args []string) error {
	bank := c.sys.Bank()
	mem, _, err := bank.Lookup(args[0])
	if err != nil {
		return fmt.Errorf("pmm dump %s: %w", console.Quote(args[0]), err)
	}
	n := int64(256)
	if len(args) == 2 {
		if n, err = tunables.ParseValue(args[1]); err != nil || n < 1 || n > maxDump {
			return fmt.Errorf("pmm dump: length %s is not 1…%d", console.Quote(args[1]), maxDump)
		}
	}
	if int(n) > len(mem) {
		n = int64(len(mem))
	}
	_, err = io.WriteString(out, hex.Dump(mem[:n]))
	return err
}

func (c *set) cmdPmmWrite(out io.Writer, args []string) error {
	bank := c.sys.Bank()
	mem, info, err := bank.Lookup(args[0])
	if err != nil {
		return fmt.Errorf("pmm write %s: %w", console.Quote(args[0]), err)
	}
	if info.Owner == pmm.System {
		return fmt.Errorf("pmm write %s: %w", args[0], pmm.ErrPrivileged)
	}
	n := copy(mem, args[1])
	fmt.Fprintf(out, "wrote %d bytes to %s\n", n, args[0])
	return nil
}

func (c *set) cmdPmmVerify(out io.Writer, _ []string) error {
	bank := c.sys.Bank()
	if err := bank.Verify(); err != nil {
		return err
	}
	fmt.Fprintln(out, "bank ok")
	return nil
}
