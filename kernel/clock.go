package kernel

import (
	"errors"
	"fmt"
	"io"
	"os"
	"time"

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
		w.load(k.bank, os.Stdout)
	}
	rtc, src, err := k.board.RTC()
	if err != nil {
		w.err = err
		fmt.Printf("hr: clock: no real-time clock (%v): time.Now counts from 1970\n", err)
		return
	}
	w.source = src
	before := time.Now()
	k.board.SetTime(rtc.Add(w.delta).UnixNano())
	w.shift = time.Since(before) // monotonic: the jump, plus the nanoseconds between
	k.booted = k.booted.Add(w.shift)
}

// load reads the kept correction. A damaged record is reported and taken
// as none (pmm quarantines it at the next boot); so is one whose other copy
// is damaged: the copy left may hold an older correction, decades off, and
// the real-time clock as it is beats a stale one (`date set` writes the
// damaged copy anew). One never written (a `date set` refused after
// reserving it) is none. What it reports goes to log.
func (w *wallClock) load(b *pmm.Bank, log io.Writer) {
	blk, _, err := b.Lookup(wallclock.BlockName)
	if errors.Is(err, pmm.ErrNotFound) {
		return
	}
	if err == nil {
		var p []byte
		w.rec, p, err = record.Load(blk, wallclock.Kind)
		if errors.Is(err, record.ErrEmpty) {
			return
		}
		if err == nil {
			w.delta, err = wallclock.Unmarshal(p)
		}
		if err == nil && w.rec.Note() != "" {
			err = fmt.Errorf("%s: %s, whose correction %s may be an older one", wallclock.BlockName, w.rec.Note(), wallclock.FormatDelta(w.delta))
		}
	}
	if err != nil {
		w.delta = 0
		fmt.Fprintf(log, "hr: clock: correction not used (%v): the real-time clock is taken as it is; date set sets the date again\n", err)
	}
}

// reserve allocates the correction's block if there is none yet: before a
// way down, which allocates nothing in the bank (down.go).
func (w *wallClock) reserve(b *pmm.Bank) error {
	if w.rec != nil {
		return nil
	}
	blk, err := b.AllocateAs(pmm.System, wallclock.BlockName, record.BlockSize(wallclock.PayloadSize), wallclock.BlockKey)
	if err != nil {
		return fmt.Errorf("no room in the bank for the clock correction %s: %w", wallclock.BlockName, err)
	}
	w.rec, _, _ = record.Load(blk, wallclock.Kind)
	return nil
}

// keep writes delta as the kept correction; a reset in the middle keeps
// the previous one. With no block reserved only 0 can be kept (nothing to
// write).
func (w *wallClock) keep(delta time.Duration) error {
	if w.rec == nil {
		if delta == 0 {
			return nil
		}
		return fmt.Errorf("no block reserved for the clock correction %s", wallclock.BlockName)
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
func (k *system) rawNanotime() int64 { return nanotime() - int64(k.wall.shift) }

// applyDate keeps the date asked for, now t: in the RTC when settable (and
// the correction back to 0), else as the correction delta. It runs inside
// the way down: an error is printed, and the clock is then unchanged.
func (k *system) applyDate(t time.Time, delta time.Duration, settable bool) {
	if settable {
		err := k.board.SetRTC(t)
		if err == nil {
			delta = 0
		} else if k.wall.rec == nil {
			fmt.Fprintf(&k.out, "hr: date set: %v; the clock is unchanged\n", err)
			return
		} else {
			fmt.Fprintf(&k.out, "hr: date set: %v; kept as a correction instead\n", err)
		}
	}
	if err := k.wall.keep(delta); err != nil {
		fmt.Fprintf(&k.out, "hr: date set: %v; the clock is unchanged\n", err)
	}
}
