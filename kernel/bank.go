package kernel

import (
	"errors"
	"fmt"
	"os"

	"github.com/hotrestart/tamago-hr/board/tunables"
	"github.com/hotrestart/tamago-hr/kernel/bootrec"
	"github.com/hotrestart/tamago-hr/kernel/crashlog"
	"github.com/hotrestart/tamago-hr/kernel/trap"
	"github.com/hotrestart/tamago-hr/kernel/upgrade/trusted"
	"github.com/hotrestart/tamago-hr/pmm"
	"github.com/hotrestart/tamago-hr/pmm/record"
)

// openBank maps and validates the bank, updates the boot record, prints
// the banner (one line that says cold or warm, and why) and carries a line
// the previous boot cut (continueLineCut). hotCheckFailed:
// the hot reboot asked for ended in a WDOG1 reset (bootChecks).
func (k *system) openBank(hotCheckFailed bool) error {
	addr, mem := k.board.Bank()
	k.bankAddr, k.bankSize = addr, len(mem)
	b, rep, err := pmm.Open(mem, pmm.Geometry{Size: len(mem), MaxBlocks: tunables.MaxBlocks})
	if err != nil {
		return err
	}
	k.bank, k.bankRep = b, rep
	if log, err := b.AllocateAs(pmm.System, crashlog.BlockName, tunables.DmesgSize, crashlog.BlockKey); err == nil {
		k.prevLog = trap.AttachLog(log)
	} else {
		fmt.Printf("hr: no crash log: %v\n", err)
	}
	recs, rec, err := bootrec.Open(b)
	if err != nil && !errors.Is(err, bootrec.ErrNoRecord) {
		return err
	}
	if err != nil && !errors.Is(err, record.ErrEmpty) {
		fmt.Printf("hr: %v: not trusted, its counters start again\n", err)
	}
	k.recs = recs
	k.recordLost = err != nil && !k.cold() // a warm bank always had one: damaged, or quarantined
	k.clock0 = rec.ClockMs
	k.start = recs.Begin(bootrec.Boot{
		Cold:            k.cold(),
		ColdReason:      k.bankRep.Reason,
		Fresh:           err != nil,
		HotCheckFailed:  hotCheckFailed,
		WatchdogFired:   k.watchdogFired,
		ResetCause:      k.board.ResetCause(),
		CrashLoopCount:  tunables.CrashLoopCount,
		CrashLoopWindow: tunables.CrashLoopWindow,
	})
	state := "warm"
	if k.cold() {
		state = "cold"
	}
	fmt.Printf("hr: %s boot %d on %s (%s); bank %#x+%#x, %d pages, %d/%d blocks; version %s\n",
		state, k.recs.Record().Boots, k.board.Name(), k.start.Reason, addr, len(mem),
		len(mem)/pmm.PageSize, len(b.Blocks()), tunables.MaxBlocks, trusted.Version)
	k.reportQuarantine(os.Stdout)
	k.continueLineCut()
	return nil
}

// recordIntent writes who and why into the boot record before a reset.
func (k *system) recordIntent(path bootrec.Path, kind bootrec.ResetKind, why string) {
	if k.recs != nil {
		k.recs.Intend(path, kind, why, k.persistentClock())
	}
}

// updateRecord changes the boot record, when there is one (none in the
// no-bank mode).
func (k *system) updateRecord(fn func(r *bootrec.Record)) {
	if k.recs != nil {
		k.recs.Update(fn)
	}
}
