package kernel

import (
	"errors"
	"fmt"
	"strconv"

	"github.com/hotrestart/tamago-hr/kernel/upgrade"
	"github.com/hotrestart/tamago-hr/kernel/upgrade/trusted"
	"github.com/hotrestart/tamago-hr/pmm"
	"github.com/hotrestart/tamago-hr/pmm/record"
)

// floors is the board's security version floor (upgrade/secver.go): the
// highest security version it committed, kept in the bank.
type floors struct {
	floor uint32
	rec   *record.Record // nil until the floor first rises above 0
}

// runningSecurity is this image's security version; the build checked it
// (kernel/tunables/tunegen), so an error means a hand-made -X.
func runningSecurity() uint32 {
	v, err := strconv.ParseUint(trusted.Security, 10, 32)
	if err != nil {
		fmt.Printf("hr: upgrade: security version %q: %v; taken as 0\n", trusted.Security, err)
	}
	return uint32(v)
}

// load reads the floor, if it ever rose above 0. A damaged record keeps
// the floor at 0 and says so: a blank bank means the same.
func (f *floors) load(b *pmm.Bank) {
	blk, _, err := b.Lookup(upgrade.SecurityBlock)
	if errors.Is(err, pmm.ErrNotFound) {
		return
	}
	if err == nil {
		var p []byte
		f.rec, p, err = record.Load(blk, upgrade.SecurityKind)
		if err == nil {
			f.floor, err = upgrade.UnmarshalFloor(p)
		}
	}
	if err != nil {
		fmt.Printf("hr: upgrade: security version floor: %v; taken as 0\n", err)
	}
}

// raise keeps floor v when it is higher than the one kept.
func (f *floors) raise(b *pmm.Bank, v uint32) {
	if v <= f.floor || b == nil {
		return
	}
	if f.rec == nil {
		blk, err := b.AllocateAs(pmm.System, upgrade.SecurityBlock, record.BlockSize(upgrade.SecurityPayloadSize), upgrade.BlockKey)
		if err != nil {
			fmt.Printf("hr: upgrade: security version floor not kept: %v\n", err)
			return
		}
		f.rec, _, _ = record.Load(blk, upgrade.SecurityKind)
	}
	if err := f.rec.Write(upgrade.MarshalFloor(v)); err != nil {
		fmt.Printf("hr: upgrade: security version floor not kept: %v\n", err)
		return
	}
	f.floor = v
}
