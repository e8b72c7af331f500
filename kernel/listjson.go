package kernel

import (
	"github.com/hotrestart/tamago-hr/kernel/console"
	"runtime"

	"github.com/hotrestart/tamago-hr/pmm"
)

// bankJSON is `bank -json`: one object on one line. Field names are stable
// (README, "Machine-readable listings"); sizes in bytes, counts since the
// bank was formatted.
type bankJSON struct {
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

func (j bankJSON) Line() ([]byte, error) { return console.JSONLine(j) }

// bankJSON is what cmdBank prints, as values.
func (k *system) bankJSON() bankJSON {
	state := "warm"
	if k.cold() {
		state = "cold"
	}
	r := k.recs.Record()
	st := k.bank.Stats()
	j := bankJSON{Addr: k.bankAddr, Size: k.bankSize, PageSize: pmm.PageSize, Pages: st.Pages,
		FreePages: st.FreePages, Blocks: st.Blocks, MaxBlocks: st.MaxBlocks, State: state,
		Reason: k.bankRep.Reason, Quarantined: st.Quarantined, LostPages: st.LostPages,
		Boots: r.Boots, LastReset: k.start.Reason, SiteRestarts: r.SiteRestarts,
		HotReboots: r.HotReboots, WarmResets: r.WarmResets, Unexpected: r.Watchdogs}
	if err := k.bank.Verify(); err != nil {
		j.MetadataError = err.Error()
	}
	return j
}

// statsJSON is `stats -json`: one object on one line; sizes in bytes, times
// in milliseconds. The board's console counters (stats' uart lines) are
// not in it.
type statsJSON struct {
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

func (j statsJSON) Line() ([]byte, error) { return console.JSONLine(j) }

func (k *system) statsJSON() statsJSON {
	var m runtime.MemStats
	runtime.ReadMemStats(&m)
	restore, _ := k.board.RestoreReport()
	return statsJSON{HeapInuse: m.HeapInuse, HeapLive: liveHeap(), GCs: m.NumGC,
		Goroutines: runtime.NumGoroutine(), StackInuse: m.StackInuse, UptimeMs: int64(k.uptimeMs()),
		GroupRestarts: k.groupRestarts(), SiteRestarts: k.recs.Record().SiteRestarts,
		WritableData: restore, BSSCanary: k.board.BSSCanary()}
}

// groupRestarts counts the group restarts since this boot, the groups
// killed since included (actors.Controller.Restarted).
func (k *system) groupRestarts() int {
	if k.ctl == nil {
		return 0
	}
	return k.ctl.Restarted()
}
