package actors

import (
	"errors"
	"fmt"
	"strconv"

	"github.com/hotrestart/tamago-hr/pmm"
)

// Persistent blocks and groups. Two rules keep one group from damaging
// another's state (see the package documentation, "Persistent blocks"):
//
//   - AllocateGroup names are per group: the block is named
//     "<name>@<gid>" in the bank, so two instances of a program in two
//     groups never share it; Allocate names are site-wide, shared on
//     purpose;
//   - a block that carries a live group's key, or that a running actor has
//     mapped (allocated or retrieved in this incarnation), is not freed by
//     anyone outside that group (the console's `pmm free`/`pmm freeall`
//     included), and another group may not retrieve a group-key block.

// GroupBlockSep separates a group-scoped block name from its group id.
const GroupBlockSep = "@"

// GroupBlockName is the bank name of the block AllocateGroup(name) gives a
// member of group gid: "<name>@<gid>".
func GroupBlockName(name string, gid int) string { return name + GroupBlockSep + strconv.Itoa(gid) }

// keyGroup returns the group whose key key is, if any.
func (c *Controller) keyGroup(key string) (*group, bool) {
	n, ok := parseNum(key, groupPrefix)
	if !ok || n >= uint64(len(c.groups)) {
		return nil, false
	}
	g := c.groups[n]
	return g, g != nil
}

// mapperLocked returns a running actor other than by and outside by's
// group that has mapped block name, nil if none. by is nil for the console.
func (c *Controller) mapperLocked(name string, by *Context) *Context {
	var found *Context
	for _, x := range c.live {
		if _, ok := x.mapped[name]; !ok || x == by || (by != nil && by.m != nil && x.Group() == by.Group()) {
			continue
		}
		if found == nil || x.aid < found.aid {
			found = x
		}
	}
	return found
}

// guardLocked says why block b may not be freed by the actor by (nil: the
// console), nil when it may.
func (c *Controller) guardLocked(b pmm.BlockInfo, by *Context) error {
	gid := -2
	if by != nil {
		gid = by.Group()
	}
	if g, ok := c.keyGroup(b.Key); ok && g.gid != gid {
		return fmt.Errorf("%w: block %s carries the key of group %d, which is %s (akill -g %d frees it)",
			ErrBlockInUse, b.Name, g.gid, g.st.word(), g.gid)
	}
	if x := c.mapperLocked(b.Name, by); x != nil {
		return fmt.Errorf("%w: block %s is mapped by aid %d %s (%s)", ErrBlockInUse, b.Name, x.aid, x.name, groupOf(x))
	}
	return nil
}

func groupOf(x *Context) string {
	if x.m == nil {
		return "ordinary actor"
	}
	return "group " + strconv.Itoa(x.m.g.gid)
}

// FreeBlock is the console's `pmm free NAME`: pmm.Bank.Free, refused
// (ErrBlockInUse) for a block that carries a live group's key or that a
// running actor has mapped.
func (c *Controller) FreeBlock(name string) error { return c.freeName(name, nil) }

// FreeKey is the console's `pmm freeall KEY`: pmm.Bank.FreeAll, refused
// (ErrBlockInUse, nothing freed) when any of the blocks is in use as for
// FreeBlock.
func (c *Controller) FreeKey(key string) (int, error) { return c.freeKey(key, nil) }

func (c *Controller) freeName(name string, by *Context) error {
	c.mu.Lock()
	defer c.mu.Unlock()
	_, b, err := c.bank.Lookup(name)
	if err == nil {
		err = c.guardLocked(b, by)
	}
	if err != nil && !errors.Is(err, pmm.ErrNotFound) {
		return err
	}
	err = c.bank.Free(name)
	c.forgetStatesLocked()
	return err
}

func (c *Controller) freeKey(key string, by *Context) (int, error) {
	c.mu.Lock()
	defer c.mu.Unlock()
	for _, b := range c.bank.Blocks() {
		if b.Key != key {
			continue
		}
		if err := c.guardLocked(b, by); err != nil {
			return 0, err
		}
	}
	n, err := c.bank.FreeAll(key)
	c.forgetStatesLocked()
	return n, err
}

// allocate is Context.Allocate and (group: with the group key, which only
// the controller may use) AllocateGroup: the block is recorded as mapped by
// x. Retrieving a block with another group's key is refused.
func (c *Controller) allocate(x *Context, name string, size int, key string, group bool) ([]byte, error) {
	c.mu.Lock()
	defer c.mu.Unlock()
	if _, b, err := c.bank.Lookup(name); err == nil {
		if g, ok := c.keyGroup(b.Key); ok && g.gid != x.Group() {
			return nil, fmt.Errorf("%w: block %s belongs to group %d", ErrBlockInUse, name, g.gid)
		}
		// a group block made by someone else (`pmm alloc NAME@GID` on the
		// console) would not be freed with the group, and its bytes are
		// not the group's: it is refused rather than adopted
		if group && b.Key != key {
			return nil, fmt.Errorf("%w: block %s has key %s, not group %d's (pmm free %s lets the group allocate it)",
				ErrBlockInUse, name, strconv.Quote(b.Key), x.Group(), name)
		}
	}
	var blk []byte
	var err error
	if group {
		blk, err = c.bank.AllocateAs(pmm.User, name, size, key)
	} else {
		blk, err = c.bank.Allocate(name, size, key)
	}
	if err != nil {
		return nil, err
	}
	if !x.ended {
		if x.mapped == nil {
			x.mapped = make(map[string]struct{})
		}
		x.mapped[name] = struct{}{}
	}
	return blk, nil
}
