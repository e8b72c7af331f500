package command

import (
	"errors"
	"fmt"
	"io"
	"strconv"
	"strings"

	"github.com/hotrestart/tamago-hr/actors"
	"github.com/hotrestart/tamago-hr/kernel/console"
	"github.com/hotrestart/tamago-hr/pmm"
	"github.com/hotrestart/tamago-hr/pmm/record"
)

func (c *set) addStateCommands(sh *console.Shell) {
	sh.MustAdd(console.Cmd{Name: "state show", Syntax: "NAME@GROUP",
		Help:    "a group's typed state, field by field, read with the layout its block records (also while the group is held, and after its program is gone)",
		MinArgs: 1, MaxArgs: 1, Fn: c.withBank(c.cmdStateShow)})
}

// cmdStateShow prints the state block NAME@GROUP from the bank alone: no
// program needs to run, or to be in this image.
func (c *set) cmdStateShow(out io.Writer, args []string) error {
	bank := c.sys.Bank()
	name := args[0]
	at := strings.LastIndexByte(name, '@')
	if at <= 0 {
		return fmt.Errorf("state show: %s: want NAME@GROUP (pmm ls lists the blocks)", console.Quote(name))
	}
	if _, err := strconv.Atoi(name[at+1:]); err != nil {
		return fmt.Errorf("state show: %s: GROUP is not a number", console.Quote(name))
	}
	blk, info, err := bank.Lookup(name)
	if errors.Is(err, pmm.ErrNotFound) {
		return fmt.Errorf("state show: no block %s in the bank (pmm ls lists the blocks)", name)
	}
	if err != nil {
		return fmt.Errorf("state show: %s: %w", console.Quote(name), err)
	}
	fmt.Fprintf(out, "%s (key %s, %d bytes):\n", name, info.Key, info.Pages*pmm.PageSize)
	switch err := actors.ShowState(out, blk); {
	case errors.Is(err, record.ErrEmpty):
		fmt.Fprintln(out, "never committed: a Load starts from the zero value")
	case err != nil:
		return fmt.Errorf("state show: %s: %w", name, err)
	}
	return nil
}
