package kernel

import (
	"errors"
	"fmt"
	"io"
	"strings"
	"time"

	"github.com/hotrestart/tamago-hr/kernel/bootrec"
	"github.com/hotrestart/tamago-hr/kernel/console"
	"github.com/hotrestart/tamago-hr/kernel/wallclock"
	"github.com/hotrestart/tamago-hr/pmm"
	"github.com/hotrestart/tamago-hr/pmm/record"
)

// wallClock is the wall clock of this boot (kernel/wallclock): the board's
// RTC plus the correction `date set` kept in the bank.
type wallClock struct {
	source string         // the RTC's, for `date`; "" when the board has none
	err    error          // why there is no RTC
	delta  time.Duration  // the kept correction: wall clock minus RTC
	rec    *record.Record // nil until a correction is first kept
	// shift is how far setting the clock moved the runtime's clock at this
	// boot; rawNanotime takes it off again.
	shift time.Duration
}

// setClock sets the runtime's clock to the wall clock, once, early in the
// boot (after the bank opens, before the watchdog, the controller and the
// network read it). Time read before is moved with it: this boot's start,
// so the uptime and the run-time clock do not jump.
func (k *system) setClock() {
	w := &k.wall
	if k.bank != nil {
		w.load(k.bank)
	}
	rtc, src, err := hw.RTC()
	if err != nil {
		w.err = err
		fmt.Printf("hr: clock: no real-time clock (%v): time.Now counts from 1970\n", err)
		return
	}
	w.source = src
	before := time.Now()
	hw.SetTime(rtc.Add(w.delta).UnixNano())
	w.shift = time.Since(before) // monotonic: the jump, plus the nanoseconds between
	k.booted = k.booted.Add(w.shift)
}

// load reads the kept correction; a damaged record is reported and taken
// as none (pmm quarantines it at the next boot).
func (w *wallClock) load(b *pmm.Bank) {
	blk, _, err := b.Lookup(wallclock.BlockName)
	if errors.Is(err, pmm.ErrNotFound) {
		return
	}
	if err == nil {
		var p []byte
		w.rec, p, err = record.Load(blk, wallclock.Kind)
		if err == nil {
			w.delta, err = wallclock.Unmarshal(p)
		}
	}
	if err != nil {
		w.delta = 0
		fmt.Printf("hr: clock: correction not read (%v): the real-time clock is taken as it is\n", err)
	}
}

// keep writes delta as the kept correction, allocating its block the first
// time one is needed.
func (w *wallClock) keep(b *pmm.Bank, delta time.Duration) error {
	if w.rec == nil {
		if delta == 0 {
			return nil
		}
		blk, err := b.AllocateAs(pmm.System, wallclock.BlockName, record.BlockSize(wallclock.PayloadSize), wallclock.BlockKey)
		if err != nil {
			return fmt.Errorf("no room in the bank for the clock correction %s: %w", wallclock.BlockName, err)
		}
		w.rec, _, _ = record.Load(blk, wallclock.Kind)
	}
	if err := w.rec.Write(wallclock.Marshal(delta)); err != nil {
		return err
	}
	w.delta = delta
	return nil
}

// rawNanotime is the runtime's monotonic clock as the system counter gives
// it, without this boot's setting of the clock: what two images (an
// upgrade's stamp) compare.
func rawNanotime() int64 { return nanotime() - int64(k.wall.shift) }

func (k *system) addClockCommands() {
	sh := k.shell
	sh.MustAdd(console.Cmd{Name: "date", Help: "the date and time (UTC) and where they come from", Fn: k.cmdDate})
	sh.MustAdd(console.Cmd{Name: "date set", Syntax: "DATE", Help: "set the clock (2026-12-03T10:00:00Z, or UTC 2026-12-03 10:00:00); the site restarts to apply it",
		MinArgs: 1, MaxArgs: 2, Fn: k.cmdDateSet})
}

// describe is `date`'s line.
func (w *wallClock) describe() string {
	if w.source == "" {
		return fmt.Sprintf("%s (no real-time clock: %v)", wallclock.Format(time.Now()), w.err)
	}
	return fmt.Sprintf("%s (%s, correction %s)", wallclock.Format(time.Now()), w.source, wallclock.FormatDelta(w.delta))
}

func (k *system) cmdDate(out io.Writer, _ []string) error {
	fmt.Fprintln(out, k.wall.describe())
	return nil
}

// cmdDateSet keeps the new date (in the RTC where the board can set it,
// else as a correction in the bank) and restarts the site, which sets the
// runtime's clock before anything reads it (kernel/wallclock).
func (k *system) cmdDateSet(out io.Writer, args []string) error {
	if fromScript(out) {
		return errors.New("date set: not from the startup script (it would restart the site at every boot)")
	}
	t, err := wallclock.Parse(strings.Join(args, " "))
	if err != nil {
		return fmt.Errorf("date set: %w", err)
	}
	if k.bank == nil {
		return errors.New("date set: needs the bank")
	}
	delta := time.Duration(0)
	if err := hw.SetRTC(t); err != nil {
		rtc, _, rerr := hw.RTC()
		if rerr != nil {
			return fmt.Errorf("date set: %v; and the real-time clock cannot be read: %v", err, rerr)
		}
		delta = t.Sub(rtc)
	}
	if err := k.wall.keep(k.bank, delta); err != nil {
		return fmt.Errorf("date set: %w; the clock is unchanged", err)
	}
	fmt.Fprintf(out, "date: clock set to %s (correction %s); the site restarts so that every timer runs on it\n", wallclock.Format(t), wallclock.FormatDelta(delta))
	return k.siteRestart(bootrec.SiteAsked, "console date set", false)
}
