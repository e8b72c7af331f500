package command

import (
	"errors"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// The stats encoder, byte for byte.
func TestStatsJSONLine(t *testing.T) {
	b, err := StatsJSON{HeapInuse: 1, HeapLive: 2, GCs: 3, Goroutines: 4, StackInuse: 5, UptimeMs: 6,
		GroupRestarts: 7, SiteRestarts: 8, WritableData: "off", BSSCanary: 9}.Line()
	require.NoError(t, err)
	assert.Equal(t, `{"heap_inuse":1,"heap_live":2,"gcs":3,"goroutines":4,"stack_inuse":5,"uptime_ms":6,`+
		`"group_restarts":7,"site_restarts":8,"writable_data":"off","bss_canary":9}`+"\n", string(b))
}

// stats prints one value two ways: a "name: value" line each, the board's
// own lines where they belong, and with -json the JSON fields only.
func TestStatsPrintsOneValueTwoWays(t *testing.T) {
	sh, m := newMachine(t)
	m.stats = Stats{
		StatsJSON: StatsJSON{HeapInuse: 4096, HeapLive: 2048, GCs: 3, Goroutines: 12, StackInuse: 8192, UptimeMs: 61500,
			GroupRestarts: 2, SiteRestarts: 1, WritableData: "saved", BSSCanary: 0x5a},
		Clock:   Clock{Now: time.Date(2026, 12, 3, 7, 46, 25, 0, time.UTC), Source: "semihosting", Correction: time.Hour},
		Console: "uart: 10 received, 0 overruns, 0 parity, 0 framing, 0 breaks, 0 discarded at restarts\n",
		Silicon: "cpu: Cortex-A7 r0p5\nwritten with caches off: 0 bytes\n",
	}
	const runtime = "heap in use: 4096 bytes\nheap after last GC: 2048 bytes\nGCs: 3\ngoroutines: 12\nstack in use: 8192 bytes\nuptime: 1m1.5s\n"
	const restarts = "group restarts: 2 since boot\nsite restarts: 1 in the bank's life\nwritable data: saved\nbss canary: 0x0000005a\n"
	assert.Equal(t, runtime+
		"date: 2026-12-03T07:46:25Z (semihosting, correction +1h0m0s)\n"+
		"uart: 10 received, 0 overruns, 0 parity, 0 framing, 0 breaks, 0 discarded at restarts\n"+
		restarts+
		"cpu: Cortex-A7 r0p5\nwritten with caches off: 0 bytes\n", exec(t, sh, "stats"))
	assert.Equal(t, `{"heap_inuse":4096,"heap_live":2048,"gcs":3,"goroutines":12,"stack_inuse":8192,"uptime_ms":61500,`+
		`"group_restarts":2,"site_restarts":1,"writable_data":"saved","bss_canary":90}`+"\n", exec(t, sh, "stats -json"))
	assert.Equal(t, "error: usage: stats [-json]", exec(t, sh, "stats json"))

	m.stats.Console, m.stats.Silicon = "", ""
	m.stats.Clock = Clock{Now: time.Unix(0, 0), NoRTC: errors.New("no semihosting")}
	assert.Equal(t, runtime+"date: 1970-01-01T00:00:00Z (no real-time clock: no semihosting)\n"+restarts,
		exec(t, sh, "stats"), "a board without console counters or silicon lines")
}

// gc runs the machine's collection and prints the heap around it.
func TestGCReportsTheHeap(t *testing.T) {
	sh, m := newMachine(t)
	m.gc = GCReport{HeapBefore: 900, HeapAfter: 300, GCs: 7}
	assert.Equal(t, "gc: heap in use 900 -> 300 bytes, GCs 7\n", exec(t, sh, "gc"))
	assert.Equal(t, []string{"gc"}, m.calls)
	assert.Equal(t, "error: usage: gc", exec(t, sh, "gc now"))
}
