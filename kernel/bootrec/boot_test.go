package bootrec

import (
	"strings"
	"sync"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/hotrestart/tamago-hr/pmm"
)

// history returns a restart history with the given stamps, newest first.
func history(stamps ...uint64) (h [History]uint64) {
	copy(h[:], stamps)
	return h
}

func fired(yes bool, why string) func() (bool, string) {
	return func() (bool, string) { return yes, why }
}

// Every transition of Begin: the record the previous boot left and what
// the kernel knows -> the banner's reason, the boot's kind, the record.
func TestBeginTransitions(t *testing.T) {
	const window = 1000
	tests := []struct {
		name string
		prev Record
		boot Boot
		want Start
		rec  Record // the record after Begin
	}{{
		name: "cold bank: everything starts again, even a pending intent",
		prev: Record{Boots: 9, SiteRestarts: 4, Pending: true, Site: true, Path: PathHot, Intent: "x", ClockMs: 50},
		boot: Boot{Cold: true, ColdReason: "no bank header"},
		want: Start{Reason: "cold bank: no bank header"},
		rec:  Record{Boots: 1},
	}, {
		name: "warm bank without a trusted record",
		boot: Boot{Fresh: true},
		want: Start{Reason: "no boot record in a valid bank"},
		rec:  Record{Boots: 1},
	}, {
		name: "hot reboot of a site restart",
		prev: Record{Boots: 2, SiteRestarts: 1, Pending: true, Site: true, Path: PathHot, Intent: "console restart", ClockMs: 70},
		want: Start{Reason: "hot reboot after console restart", SiteRestart: true},
		rec:  Record{Boots: 3, SiteRestarts: 1, HotReboots: 1, Site: true, Path: PathHot, Intent: "console restart", ClockMs: 70},
	}, {
		name: "hot reboot whose restore failed its check: a warm reset",
		prev: Record{Boots: 2, Pending: true, Site: true, Path: PathHot, Intent: "console restart"},
		boot: Boot{HotCheckFailed: true},
		want: Start{Reason: "warm reset after console restart (hot restore failed its check)", SiteRestart: true},
		rec:  Record{Boots: 3, WarmResets: 1, Site: true, Path: PathWarm, Intent: "console restart (hot restore failed its check)"},
	}, {
		name: "a restore check failure does not touch a warm reset",
		prev: Record{Pending: true, Path: PathWarm, Intent: "console reset"},
		boot: Boot{HotCheckFailed: true},
		want: Start{Reason: "warm reset after console reset"},
		rec:  Record{Boots: 1, WarmResets: 1, Path: PathWarm, Intent: "console reset"},
	}, {
		name: "watchdog reset: a site restart nobody could record",
		prev: Record{Pending: true, Path: PathWatchdog, Intent: "starved", ClockMs: 500},
		boot: Boot{WatchdogFired: fired(true, "watchdog timeout"), CrashLoopCount: 3, CrashLoopWindow: window},
		want: Start{Reason: "starved", SiteRestart: true, Reset: true, AutoSite: true},
		rec:  Record{Boots: 1, SiteRestarts: 1, Watchdogs: 1, Path: PathWatchdog, Intent: "starved", ClockMs: 500, Restarts: history(500)},
	}, {
		name: "breadcrumb found but the watchdog did not fire: unexplained",
		prev: Record{Pending: true, Path: PathWatchdog, Intent: "starved", ClockMs: 500},
		boot: Boot{WatchdogFired: fired(false, "software reset"), ResetCause: "software reset"},
		want: Start{Reason: "unexplained reset: software reset; no intent recorded", Reset: true},
		rec:  Record{Boots: 1, Watchdogs: 1, Path: PathWatchdog, Intent: "starved", ClockMs: 500},
	}, {
		name: "no intent, the SoC names the cause",
		prev: Record{Boots: 1},
		boot: Boot{ResetCause: "power-on"},
		want: Start{Reason: "unexplained reset: power-on; no intent recorded", Reset: true},
		rec:  Record{Boots: 2, Watchdogs: 1},
	}, {
		name: "no intent, no cause",
		want: Start{Reason: "unexplained reset: no reset cause; no intent recorded", Reset: true},
		rec:  Record{Boots: 1, Watchdogs: 1},
	}, {
		name: "crash-loop breaker: count automatic restarts in the window",
		prev: Record{Pending: true, Site: true, Path: PathHot, Intent: "fault", ClockMs: 2000, Restarts: history(2000, 1500, 200)},
		boot: Boot{CrashLoopCount: 2, CrashLoopWindow: window},
		want: Start{Reason: "hot reboot after fault", SiteRestart: true, SafeMode: true, AutoSite: true},
		rec:  Record{Boots: 1, HotReboots: 1, Site: true, SafeMode: true, Path: PathHot, Intent: "fault", ClockMs: 2000, Restarts: history(2000, 1500, 200)},
	}, {
		name: "breaker: stamps older than the window do not count",
		prev: Record{Pending: true, Site: true, Path: PathHot, Intent: "fault", ClockMs: 2000, Restarts: history(2000, 900, 200)},
		boot: Boot{CrashLoopCount: 2, CrashLoopWindow: window},
		want: Start{Reason: "hot reboot after fault", SiteRestart: true, AutoSite: true},
		rec:  Record{Boots: 1, HotReboots: 1, Site: true, Path: PathHot, Intent: "fault", ClockMs: 2000, Restarts: history(2000, 900, 200)},
	}, {
		name: "breaker: a plain reset never enters safe mode, a full history notwithstanding",
		prev: Record{Pending: true, Path: PathWarm, Intent: "console reset", ClockMs: 2000, Restarts: history(2000, 1900, 1800)},
		boot: Boot{CrashLoopCount: 2, CrashLoopWindow: window},
		want: Start{Reason: "warm reset after console reset"},
		rec:  Record{Boots: 1, WarmResets: 1, Path: PathWarm, Intent: "console reset", ClockMs: 2000, Restarts: history(2000, 1900, 1800)},
	}, {
		name: "a hot upgrade's boot: the intent is the reason, no reset is counted",
		prev: Record{Boots: 4, Pending: true, Path: PathUpgrade, Intent: "upgrade from v1 to v2", ClockMs: 900},
		want: Start{Reason: "upgrade from v1 to v2"},
		rec:  Record{Boots: 5, Path: PathUpgrade, Intent: "upgrade from v1 to v2", ClockMs: 900},
	}, {
		name: "safe mode is decided again at every boot",
		prev: Record{SafeMode: true, Pending: true, Path: PathWarm, Intent: "console reset"},
		boot: Boot{CrashLoopCount: 1, CrashLoopWindow: window},
		want: Start{Reason: "warm reset after console reset"},
		rec:  Record{Boots: 1, WarmResets: 1, Path: PathWarm, Intent: "console reset"},
	}}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			r := tt.prev
			got := r.Begin(tt.boot)
			assert.Equal(t, tt.want, got)
			assert.Equal(t, tt.rec, r)
		})
	}
}

// The watchdog verdict is asked for only when the breadcrumb is pending.
func TestBeginAsksWatchdogOnlyForItsBreadcrumb(t *testing.T) {
	for _, prev := range []Record{{}, {Pending: true, Path: PathHot}, {Pending: true, Path: PathWarm}} {
		r := prev
		r.Begin(Boot{WatchdogFired: func() (bool, string) { t.Fatalf("asked for %+v", prev); return false, "" }})
	}
	r := Record{Pending: true, Path: PathWatchdog}
	r.Begin(Boot{Cold: true, WatchdogFired: func() (bool, string) { t.Fatal("asked on a cold bank"); return false, "" }})
}

func TestIntendTransitions(t *testing.T) {
	base := Record{Boots: 5, SiteRestarts: 2, ClockMs: 10, Restarts: history(10)}
	tests := []struct {
		kind ResetKind
		path Path
		rec  Record
	}{
		{PlainReset, PathWarm, Record{Boots: 5, SiteRestarts: 2, Pending: true, Path: PathWarm, Intent: "why", ClockMs: 99, Restarts: history(10)}},
		{PlainReset, PathCold, Record{Boots: 5, SiteRestarts: 2, Pending: true, Path: PathCold, Intent: "why", ClockMs: 99, Restarts: history(10)}},
		{SiteAsked, PathHot, Record{Boots: 5, SiteRestarts: 3, Pending: true, Site: true, Path: PathHot, Intent: "why", ClockMs: 99, Restarts: history(10)}},
		{SiteAuto, PathHot, Record{Boots: 5, SiteRestarts: 3, Pending: true, Site: true, Path: PathHot, Intent: "why", ClockMs: 99, Restarts: history(99, 10)}},
		{SiteAuto, PathWarm, Record{Boots: 5, SiteRestarts: 3, Pending: true, Site: true, Path: PathWarm, Intent: "why", ClockMs: 99, Restarts: history(99, 10)}},
		{SitePolicy, PathHot, Record{Boots: 5, SiteRestarts: 3, Pending: true, Site: true, Path: PathHot, Intent: "why", ClockMs: 99, Restarts: history(10)}},
	}
	for _, tt := range tests {
		r := base
		r.Intend(tt.path, tt.kind, "why", 99)
		assert.Equal(t, tt.rec, r, "kind %d path %v", tt.kind, tt.path)
	}
	r := base
	r.Intend(PathHot, SiteAsked, strings.Repeat("y", 300), 99)
	assert.Len(t, r.Intent, maxText, "an intent is clipped to what the record holds")
}

// Three automatic site restarts in a row, each followed by its boot, trip a
// breaker of three; asked-for ones never do.
func TestBreakerAcrossBoots(t *testing.T) {
	boot := Boot{CrashLoopCount: 3, CrashLoopWindow: 1000}
	var r Record
	r.Begin(Boot{Cold: true})
	var modes []bool
	for i := range 4 {
		r.Intend(PathHot, SiteAsked, "console restart", uint64(100*(i+1)))
		modes = append(modes, r.Begin(boot).SafeMode)
	}
	assert.Equal(t, []bool{false, false, false, false}, modes)
	modes = nil
	for i := range 4 {
		r.Intend(PathHot, SiteAuto, "fault", uint64(500+100*i))
		modes = append(modes, r.Begin(boot).SafeMode)
	}
	assert.Equal(t, []bool{false, false, true, true}, modes)
	assert.EqualValues(t, 9, r.Boots)
	assert.EqualValues(t, 8, r.SiteRestarts)
	assert.EqualValues(t, 8, r.HotReboots)
}

func TestScript(t *testing.T) {
	script := "# comment\n\narun -g 1 counter\n  arun hello  \n#arun -g 2 x\narun -g\ntunables # trailing\n"
	cold := []Line{{N: 3, Text: "arun -g 1 counter"}, {N: 4, Text: "arun hello"}, {N: 6, Text: "arun -g"}, {N: 7, Text: "tunables # trailing"}}
	assert.Equal(t, cold, Script(script, false))
	warm := []Line{{N: 3, Text: "arun -g 1 counter", Skip: true}, {N: 4, Text: "arun hello"}, {N: 6, Text: "arun -g", Skip: true}, {N: 7, Text: "tunables # trailing"}}
	assert.Equal(t, warm, Script(script, true))
	assert.Empty(t, Script("", true))
}

// The store is written from several goroutines; every update lands.
func TestStoreConcurrentUpdates(t *testing.T) {
	mem := make([]byte, 64*pmm.PageSize)
	s, _, _ := Open(bank(t, mem))
	var wg sync.WaitGroup
	for i := range 8 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for j := range 100 {
				s.Update(func(r *Record) { r.Boots++ })
				s.Tick(uint64(i*1000 + j))
			}
		}()
	}
	wg.Wait()
	assert.EqualValues(t, 800, s.Record().Boots)
	_, got, err := Open(bank(t, mem))
	require.NoError(t, err)
	assert.EqualValues(t, 800, got.Boots, "the last save holds every update")
}

// The fault path must record its intent even when the fault interrupted a
// holder of the lock, and without allocating.
func TestIntendFatalDoesNotWait(t *testing.T) {
	mem := make([]byte, 64*pmm.PageSize)
	s, _, _ := Open(bank(t, mem))
	s.mu.Lock() // a goroutine the fault interrupted mid-update
	s.IntendFatal(PathWarm, SiteAuto, "fatal runtime error", 42, true)
	_, got, err := Open(bank(t, mem))
	require.NoError(t, err)
	assert.True(t, got.Pending && got.Site)
	assert.Equal(t, "fatal runtime error", got.Intent)
	assert.Equal(t, uint64(42), got.Restarts[0])
	s.mu.Unlock()
	assert.Zero(t, testing.AllocsPerRun(100, func() { s.IntendFatal(PathWarm, SiteAuto, "x", 1, false) }))
}
