package kernel

import (
	"errors"
	"fmt"
	"io"
	"runtime"
	"runtime/metrics"
	"strings"
	"time"

	"github.com/hotrestart/tamago-hr/board/tunables"
	"github.com/hotrestart/tamago-hr/kernel/bootrec"
	"github.com/hotrestart/tamago-hr/kernel/command"
	"github.com/hotrestart/tamago-hr/kernel/crashlog"
	"github.com/hotrestart/tamago-hr/kernel/trap"
	"github.com/hotrestart/tamago-hr/kernel/wallclock"
	"github.com/hotrestart/tamago-hr/pmm"
)

// system is the command.Machine its own commands (kernel/command) work on:
// the values they print and the way down they take.
var _ command.Machine = (*system)(nil)

// BankStatus is `bank`'s values (command.Machine).
func (k *system) BankStatus() (command.BankJSON, error) {
	if k.bank == nil {
		return command.BankJSON{}, errors.New("no bank")
	}
	state := "warm"
	if k.cold() {
		state = "cold"
	}
	r := k.recs.Record()
	st := k.bank.Stats()
	j := command.BankJSON{Addr: k.bankAddr, Size: k.bankSize, PageSize: pmm.PageSize, Pages: st.Pages,
		FreePages: st.FreePages, Blocks: st.Blocks, MaxBlocks: st.MaxBlocks, State: state,
		Reason: k.bankRep.Reason, Quarantined: st.Quarantined, LostPages: st.LostPages,
		Boots: r.Boots, LastReset: k.start.Reason, SiteRestarts: r.SiteRestarts,
		HotReboots: r.HotReboots, WarmResets: r.WarmResets, Unexpected: r.Watchdogs}
	if err := k.bank.Verify(); err != nil {
		j.MetadataError = err.Error()
	}
	return j, nil
}

// Stats is `stats`' values (command.Machine): the runtime's, the boot
// record's and the board's, whose console counters and silicon lines are
// the board's own words.
func (k *system) Stats() command.Stats {
	var m runtime.MemStats
	runtime.ReadMemStats(&m)
	restore, _ := k.board.RestoreReport()
	var uart, silicon strings.Builder
	k.board.ConsoleStats(&uart)
	k.laps.writeSiliconStats(&silicon, k.board)
	return command.Stats{
		StatsJSON: command.StatsJSON{HeapInuse: m.HeapInuse, HeapLive: liveHeap(), GCs: m.NumGC,
			Goroutines: runtime.NumGoroutine(), StackInuse: m.StackInuse, UptimeMs: int64(k.uptimeMs()),
			GroupRestarts: k.groupRestarts(), SiteRestarts: k.recs.Record().SiteRestarts,
			WritableData: restore, BSSCanary: k.board.BSSCanary()},
		Clock: k.Clock(), Console: uart.String(), Silicon: silicon.String()}
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

// groupRestarts counts the group restarts since this boot, the groups
// killed since included (actors.Controller.Restarted).
func (k *system) groupRestarts() int {
	if k.ctl == nil {
		return 0
	}
	return k.ctl.Restarted()
}

// GC runs runtime.GC (command.Machine): the quickest way to make a
// corrupt heap or a stale GC mask show itself.
func (k *system) GC() command.GCReport {
	var before, after runtime.MemStats
	runtime.ReadMemStats(&before)
	runtime.GC()
	runtime.ReadMemStats(&after)
	return command.GCReport{HeapBefore: before.HeapInuse, HeapAfter: after.HeapInuse, GCs: after.NumGC}
}

// Uptime is this boot's age in whole milliseconds (command.Machine).
func (k *system) Uptime() time.Duration { return time.Duration(k.uptimeMs()) * time.Millisecond }

// Log is the previous boot's crash log, or with now this boot's so far
// (command.Machine).
func (k *system) Log(now bool) (crashlog.Log, error) {
	if !now {
		return k.prevLog, nil
	}
	log, ok := trap.Snapshot()
	if !ok {
		return crashlog.Log{}, errors.New("no crash log")
	}
	return log, nil
}

// ColdBank says whether this boot found no valid bank, and why
// (command.Machine).
func (k *system) ColdBank() (bool, string) { return k.cold(), k.bankRep.Reason }

// selfTester is the board's part of the self-test (board/internal/imx6).
type selfTester interface {
	SelfTest(watchdogMs int, line func(name, detail string, err error))
}

// SelfTest checks the bank, then has the board check itself
// (command.Machine); a board without a self-test fails that check.
func (k *system) SelfTest(line func(name, detail string, err error)) {
	line("bank", fmt.Sprintf("%d blocks, checksums verified", len(k.bank.Blocks())), k.bank.Verify())
	if t, ok := any(k.board).(selfTester); ok {
		t.SelfTest(int(tunables.WatchdogTimeout), line)
	} else {
		line("board", "", errors.New("this board has no self-test"))
	}
}

// Clock is the wall clock now (command.Machine).
func (k *system) Clock() command.Clock {
	return command.Clock{Now: time.Now(), Source: k.wall.source, NoRTC: k.wall.err, Correction: k.wall.delta}
}

// SetDate sets the date through a site restart (command.Machine), which
// sets the runtime's clock before anything reads it (kernel/wallclock).
// The date goes, once the request is taken and the actors stopped, into
// the RTC where the board can set it (silicon: the SNVS counter), else
// into the correction kept in the bank (its block reserved first: a way
// down allocates nothing). A refused request (no bank, no readable RTC, no
// room for the correction, another restart under way) changes nothing.
// out is the asking command's output (down.by).
func (k *system) SetDate(t time.Time, out io.Writer, say func(how string)) error {
	if k.bank == nil {
		return errors.New("needs the bank")
	}
	asked := time.Now()
	rtc, _, err := k.board.RTC()
	if err != nil {
		return fmt.Errorf("the real-time clock cannot be read: %v", err)
	}
	delta := t.Sub(rtc)
	settable := !k.board.Emulated() // under QEMU the RTC is the host's clock
	how := "written to the real-time clock"
	if !settable {
		if err := k.wall.reserve(k.bank); err != nil {
			return fmt.Errorf("%w; the clock is unchanged", err)
		}
		how = "correction " + wallclock.FormatDelta(delta)
	}
	say(how)
	return k.goDown(down{hand: handHot, kind: bootrec.SiteAsked, why: "console date set", say: "site restart: console date set", by: out,
		afterStop: func() { k.applyDate(t.Add(time.Since(asked)), delta, settable) }})
}

// GoDown takes the way down a command asks for (command.Machine) through
// goDown, with what each way announces; out is the asking command's
// output (down.by).
func (k *system) GoDown(way command.Way, why string, code int, out io.Writer) error {
	switch way {
	case command.SiteAsked:
		return k.siteRestart(bootrec.SiteAsked, why, out)
	case command.SiteAuto:
		return k.siteRestart(bootrec.SiteAuto, why, out)
	case command.Reboot:
		return k.goDown(down{hand: handCold, kind: bootrec.PlainReset, why: why, say: "cold reboot, discarding the bank", by: out})
	case command.Reset:
		return k.goDown(down{hand: handWarm, kind: bootrec.PlainReset, why: why, raw: true, by: out})
	case command.Halt:
		return k.goDown(down{hand: handHalt, kind: bootrec.PlainReset, why: why, say: "halted", code: code, by: out})
	}
	return fmt.Errorf("no way down %d", way)
}
