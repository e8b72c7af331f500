package command

import (
	"io"
	"time"

	"github.com/hotrestart/tamago-hr/kernel/console"
	"github.com/hotrestart/tamago-hr/kernel/crashlog"
)

// Machine is what the kernel's own commands (restart, shutdown, reboot,
// reset, halt, crash, bank, dmesg, stats, gc, tunables, uptime, selftest,
// date) need of the machine beneath them: the boot record, the board, the
// crash log, the wall clock and the one way down. The kernel gives values
// (BankJSON, Stats, Clock, …); the commands print them, as text and as
// JSON, so that a fake Machine tests every byte of their output.
type Machine interface {
	// BankStatus is `bank`'s values; an error ("no bank") when the bank
	// is unusable.
	BankStatus() (BankJSON, error)
	// Stats is `stats`' values: the runtime's, the board's and the boot
	// record's, read now.
	Stats() Stats
	// GC runs a garbage collection and reports the heap around it.
	GC() GCReport
	// Uptime is this boot's age, in whole milliseconds.
	Uptime() time.Duration
	// Log is the crash log `dmesg` shows: the previous boot's, or with
	// now this boot's so far (an error when there is none: no bank, or
	// no room for the log).
	Log(now bool) (crashlog.Log, error)
	// ColdBank says whether this boot found no valid bank, and why it is
	// cold or warm (pmm.OpenReport.Reason): a cold bank lost the previous
	// boot's log.
	ColdBank() (cold bool, reason string)
	// SelfTest runs the checks a running board can make on itself (the
	// bank's, then the board's), telling line each one's name and what it
	// found, or the error that failed it.
	SelfTest(line func(name, detail string, err error))
	// Clock is the wall clock now and where it comes from.
	Clock() Clock
	// SetDate sets the wall clock to t (asked for now) through a hot site
	// restart, which sets the runtime's clock before anything reads it
	// (kernel/wallclock). Once it has reserved what the way down needs (a
	// way down allocates nothing in the bank), it tells say where the date
	// goes: "written to the real-time clock", or "correction +2h30m0s"
	// where the board's clock is not its own (under QEMU). It returns
	// only when refused, with nothing changed: before say (no bank, no
	// readable clock, no room for the correction) or after it (the way
	// down refused: another one is under way); or on the host. out is
	// the command's output, as for GoDown.
	SetDate(t time.Time, out io.Writer, say func(how string)) error
	// GoDown takes the way down asked for (kernel/down.go: one request
	// acts, the others get an error); why is the intent the next boot's
	// banner shows, code QEMU's exit status for Halt. out is the asking
	// command's output: the startup script's (FromScript) makes a site
	// restart or a reset an automatic site restart and refuses a reboot;
	// a session's that is a console.Asker is told its command took the
	// board down. It returns only when refused, or on the host.
	GoDown(way Way, why string, code int, out io.Writer) error
}

// AddMachine adds the kernel's own commands to sh, working on m; a name
// already in sh is a programming error (console.Shell.MustAdd).
func AddMachine(sh *console.Shell, m Machine) {
	addDownCommands(sh, m)
	addReportCommands(sh, m)
	addStatsCommands(sh, m)
	addSelftestCommand(sh, m)
	addDateCommands(sh, m)
}

// Way is a way down a command asks for.
type Way uint8

const (
	// SiteAsked is a site restart the operator asked for: a hot reboot,
	// groups and bank kept.
	SiteAsked Way = iota
	// SiteAuto is an automatic site restart, as a controller escalation
	// makes (the crash-loop breaker counts it).
	SiteAuto
	// Reboot is a cold reboot: the bank is discarded.
	Reboot
	// Reset is a raw warm reset: no actor is stopped, the bank is kept.
	Reset
	// Halt stops the board; under QEMU the emulator exits with a code.
	Halt
)

// Stats is `stats`' values: the JSON listing's and what only the text
// shows.
type Stats struct {
	StatsJSON
	// Clock is the date, as `date` shows it.
	Clock Clock
	// Console is the board's console counters as the board words them
	// (the `uart:` line), whole lines; "" when it has none.
	Console string
	// Silicon is the board's silicon lines (the core, the boot's laps on
	// the board clock, the bytes written with the caches off), whole
	// lines; "" on a board without them.
	Silicon string
}

// GCReport is a garbage collection's effect: the heap in use before and
// after, in bytes, and the GCs since boot after it.
type GCReport struct {
	HeapBefore, HeapAfter uint64
	GCs                   uint32
}

// BankJSON is `bank`'s values and `bank -json`: one object on one line.
// Field names are stable (README, "Machine-readable listings"); sizes in
// bytes, counts since the bank was formatted.
type BankJSON struct {
	Addr          uint32 `json:"addr"`
	Size          int    `json:"size"`
	PageSize      int    `json:"page_size"`
	Pages         int    `json:"pages"`
	FreePages     int    `json:"free_pages"`
	Blocks        int    `json:"blocks"`
	MaxBlocks     int    `json:"max_blocks"`
	State         string `json:"state"`        // cold or warm
	Reason        string `json:"state_reason"` // why cold or warm
	Quarantined   int    `json:"quarantined"`  // damaged records
	LostPages     int    `json:"lost_pages"`   // pages they withhold
	MetadataError string `json:"metadata_error"`
	Boots         uint32 `json:"boots"`
	LastReset     string `json:"last_reset"`
	SiteRestarts  uint32 `json:"site_restarts"`
	HotReboots    uint32 `json:"hot_reboots"`
	WarmResets    uint32 `json:"warm_resets"`
	Unexpected    uint32 `json:"unexpected_resets"`
}

func (j BankJSON) Line() ([]byte, error) { return console.JSONLine(j) }

// StatsJSON is `stats -json`: one object on one line; sizes in bytes,
// times in milliseconds. The board's console counters (stats' uart line)
// are not in it.
type StatsJSON struct {
	HeapInuse     uint64 `json:"heap_inuse"`
	HeapLive      uint64 `json:"heap_live"` // marked live by the last GC
	GCs           uint32 `json:"gcs"`
	Goroutines    int    `json:"goroutines"`
	StackInuse    uint64 `json:"stack_inuse"`
	UptimeMs      int64  `json:"uptime_ms"`
	GroupRestarts int    `json:"group_restarts"` // since this boot
	SiteRestarts  uint32 `json:"site_restarts"`  // in the bank's life
	WritableData  string `json:"writable_data"`  // the hot boot's restore report
	BSSCanary     uint32 `json:"bss_canary"`     // 0 when the BSS was zeroed
}

func (j StatsJSON) Line() ([]byte, error) { return console.JSONLine(j) }

// Clock is the wall clock as `date` shows it.
type Clock struct {
	Now time.Time
	// Source names the real-time clock; "" when the board has none, and
	// then NoRTC says why.
	Source string
	NoRTC  error
	// Correction is the kept correction: wall clock minus RTC.
	Correction time.Duration
}
