// Package wallclock is the firmware's wall clock, the part of it that is
// pure logic: the correction the operator set (`date set`) kept in the bank,
// and the parsing of the dates the console takes.
//
// Where the time comes from. The board's real-time clock (kernel.Clock):
// under QEMU the host's clock (semihosting SYS_TIME, whole seconds), on
// silicon the SNVS secure real-time counter, which the coin cell keeps
// through power cycles. At every boot the kernel sets the runtime's clock,
// the one time.Now and every timer read, to RTC + Delta, before the
// controller starts. Delta is what `date set` could not write into the RTC
// itself: under QEMU the host's clock is not the board's to set, so the
// difference is kept here; on silicon `date set` writes the SNVS counter and
// Delta is 0.
//
// Why `date set` restarts the site. In tamago the wall clock and the
// monotonic clock are one (tamago-go's runtime.walltime returns nanotime):
// moving it while the image runs moves every timer and deadline with it.
// Set back, every sleep waits the difference (the watchdog's too, so the
// board resets); set forward, deadlines expire early (actors' heartbeats).
// The clock is therefore moved only at boot, before anything reads it: the
// correction is written to the bank, then a site restart applies it. The
// restart policy does not read it: its clock is run time (the boot
// record's), which a change of date neither forgives nor aggravates.
package wallclock

import (
	"encoding/binary"
	"fmt"
	"strings"
	"time"

	"github.com/hotrestart/tamago-hr/kernel/console"
	"github.com/hotrestart/tamago-hr/pmm/record"
)

// BlockName is the bank's system block that keeps Delta, allocated by the
// first `date set` that needs one (none on a board whose RTC takes the
// time); its key is BlockKey.
const (
	BlockName = "__SYS.clock"
	BlockKey  = "__SYS.kern"
)

// Kind is the record kind of BlockName; its payload is Delta in
// nanoseconds, int64 little-endian.
var Kind = record.Kind{Name: "clock correction", Magic: record.Magic("HRCK"), Version: 1}

// PayloadSize is the record's payload size in bytes.
const PayloadSize = 8

// Marshal encodes delta, the wall clock minus the RTC, as the payload.
func Marshal(delta time.Duration) []byte {
	return binary.LittleEndian.AppendUint64(nil, uint64(delta))
}

// Unmarshal decodes a payload Marshal wrote.
func Unmarshal(p []byte) (time.Duration, error) {
	if len(p) != PayloadSize {
		return 0, fmt.Errorf("clock correction: payload of %d bytes, want %d", len(p), PayloadSize)
	}
	return time.Duration(binary.LittleEndian.Uint64(p)), nil
}

// The dates `date set` accepts: the SNVS counter holds 32-bit seconds
// (2106-02-07), and a date before 2000 is a typing error, not a clock.
var (
	Earliest = time.Date(2000, 1, 1, 0, 0, 0, 0, time.UTC)
	Latest   = time.Date(2106, 1, 1, 0, 0, 0, 0, time.UTC)
)

// layouts are tried in order; the ones without a zone are UTC.
var layouts = []string{time.RFC3339Nano, "2006-01-02T15:04:05", "2006-01-02 15:04:05", "2006-01-02T15:04", "2006-01-02"}

// Parse reads a date as `date set` takes it: RFC 3339
// (2026-12-03T10:00:00Z, 2026-12-03T11:00:00+01:00), or without a zone in
// UTC (2026-12-03T10:00:00, 2026-12-03 10:00:00, 2026-12-03T10:00,
// 2026-12-03), between Earliest and Latest. The result is in UTC.
func Parse(s string) (time.Time, error) {
	s = strings.TrimSpace(s)
	for _, l := range layouts {
		t, err := time.Parse(l, s)
		if err != nil {
			continue
		}
		if t.Before(Earliest) || !t.Before(Latest) {
			return time.Time{}, fmt.Errorf("date %s out of range (%s … %s)", s, Earliest.Format("2006-01-02"), Latest.Format("2006-01-02"))
		}
		return t.UTC(), nil
	}
	return time.Time{}, fmt.Errorf("%s: want 2026-12-03T10:00:00Z or 2026-12-03 10:00:00 (UTC)", console.Quote(s))
}

// Format is how the console prints a date: RFC 3339 in UTC, to the second.
func Format(t time.Time) string { return t.UTC().Format(time.RFC3339) }

// FormatDelta prints a correction with its sign (+1h0m0s, -30s, 0s).
func FormatDelta(d time.Duration) string {
	d = d.Round(time.Second)
	if d > 0 {
		return "+" + d.String()
	}
	return d.String()
}
