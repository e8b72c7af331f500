package qemu

import (
	"encoding/json"
	"fmt"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// runJSON runs a listing's -json form and decodes its one line into v,
// which must name every field the line has.
func (s *session) runJSON(line string, v any) {
	s.t.Helper()
	out := strings.ReplaceAll(s.run(line), "\r", "")
	require.Equal(s.t, 1, strings.Count(out, "\n"), "%s: one line:\n%s", line, out)
	dec := json.NewDecoder(strings.NewReader(out))
	dec.DisallowUnknownFields()
	require.NoError(s.t, dec.Decode(v), "%s:\n%s", line, out)
}

type apsJSON struct {
	Actors []struct {
		AID      int      `json:"aid"`
		Gen      int      `json:"gen"`
		Name     string   `json:"name"`
		Program  string   `json:"program"`
		Args     []string `json:"args"`
		Group    int      `json:"group"`
		Kind     string   `json:"kind"`
		State    string   `json:"state"`
		Restarts int      `json:"restarts"`
		UptimeMs int64    `json:"uptime_ms"`
		Spawner  string   `json:"spawner"`
		Note     string   `json:"note"`
	} `json:"actors"`
	Groups []struct {
		GID         int    `json:"gid"`
		State       string `json:"state"`
		Members     int    `json:"members"`
		Direct      int    `json:"direct"`
		Running     int    `json:"running"`
		Blocked     int    `json:"blocked"`
		Restarts    int    `json:"restarts"`
		Badness     int    `json:"badness"`
		MaxBadness  int    `json:"max_badness"`
		BackoffMs   int64  `json:"backoff_ms"`
		LastFailure string `json:"last_failure"`
		StateError  string `json:"state_error"`
	} `json:"groups"`
}

type bankJSON struct {
	Addr          uint32 `json:"addr"`
	Size          int    `json:"size"`
	PageSize      int    `json:"page_size"`
	Pages         int    `json:"pages"`
	FreePages     int    `json:"free_pages"`
	Blocks        int    `json:"blocks"`
	MaxBlocks     int    `json:"max_blocks"`
	State         string `json:"state"`
	Reason        string `json:"state_reason"`
	Quarantined   int    `json:"quarantined"`
	LostPages     int    `json:"lost_pages"`
	MetadataError string `json:"metadata_error"`
	Boots         int    `json:"boots"`
	LastReset     string `json:"last_reset"`
	SiteRestarts  int    `json:"site_restarts"`
	HotReboots    int    `json:"hot_reboots"`
	WarmResets    int    `json:"warm_resets"`
	Unexpected    int    `json:"unexpected_resets"`
}

type statsJSON struct {
	HeapInuse     uint64 `json:"heap_inuse"`
	HeapLive      uint64 `json:"heap_live"`
	GCs           uint32 `json:"gcs"`
	Goroutines    int    `json:"goroutines"`
	StackInuse    uint64 `json:"stack_inuse"`
	UptimeMs      int64  `json:"uptime_ms"`
	GroupRestarts int    `json:"group_restarts"`
	SiteRestarts  int    `json:"site_restarts"`
	WritableData  string `json:"writable_data"`
	BSSCanary     uint32 `json:"bss_canary"`
}

type upgradeGroupJSON struct {
	GID        int    `json:"gid"`
	State      string `json:"state"`
	StateError string `json:"state_error"`
}

type upgradeJSON struct {
	Running        string             `json:"running"`
	StagedNew      string             `json:"staged_new"`
	StagedNewError string             `json:"staged_new_error"`
	StagedPrev     string             `json:"staged_previous"`
	StagedPrevErr  string             `json:"staged_previous_error"`
	Security       uint32             `json:"security"`
	Floor          uint32             `json:"security_floor"`
	Phase          string             `json:"phase"`
	From           string             `json:"from"`
	To             string             `json:"to"`
	Why            string             `json:"why"`
	TrialMs        uint64             `json:"trial_ms"`
	TrialLimitMs   uint64             `json:"trial_limit_ms"`
	Restarts       uint32             `json:"trial_site_restarts"`
	Groups         []upgradeGroupJSON `json:"groups"`
}

// The machine-readable listings on the board: each is one JSON line that
// encoding/json reads into the documented fields (README, "Machine-readable
// listings"), with the values the human listings show, before and after a
// site restart and a group restart.
func TestListingsJSON(t *testing.T) {
	s := boot(t)
	_, boots, _ := s.banner()
	aid := s.arun("-g 4 idle")

	var aps apsJSON
	s.runJSON("aps -json", &aps)
	require.Len(t, aps.Actors, 1)
	a := aps.Actors[0]
	assert.Equal(t, aid, a.AID)
	assert.Equal(t, "idle.4.1", a.Name)
	assert.Equal(t, "idle", a.Program)
	assert.Equal(t, []string{}, a.Args)
	assert.Equal(t, 4, a.Group)
	assert.Equal(t, "direct", a.Kind)
	assert.Equal(t, "running", a.State)
	assert.Equal(t, 1, a.Gen)
	assert.Zero(t, a.Restarts)
	require.Len(t, aps.Groups, 1)
	g := aps.Groups[0]
	assert.Equal(t, 4, g.GID)
	assert.Equal(t, "running", g.State)
	assert.Equal(t, 1, g.Running)
	assert.Equal(t, 1, g.Members)
	assert.Equal(t, 1, g.Direct)
	assert.Positive(t, g.MaxBadness)
	assert.Contains(t, crlf(s.run("aps")), fmt.Sprintf("%d    1    idle.4.1", aid), "the human listing is unchanged")

	var bank bankJSON
	s.runJSON("bank -json", &bank)
	assert.Contains(t, crlf(s.run("bank")), fmt.Sprintf("bank: %#x+%#x (%d pages of 4096 bytes, %d free), %d/%d blocks\n",
		bank.Addr, bank.Size, bank.Pages, bank.FreePages, bank.Blocks, bank.MaxBlocks))
	assert.Equal(t, 4096, bank.PageSize)
	assert.Equal(t, bank.Size/4096, bank.Pages)
	assert.Equal(t, "cold", bank.State)
	assert.Equal(t, boots, bank.Boots)
	assert.Zero(t, bank.SiteRestarts)
	assert.Empty(t, bank.MetadataError)

	var ls struct {
		Blocks []struct {
			Name      string `json:"name"`
			Key       string `json:"key"`
			Owner     string `json:"owner"`
			FirstPage int    `json:"first_page"`
			Pages     int    `json:"pages"`
			Bytes     int    `json:"bytes"`
		} `json:"blocks"`
		Quarantined []struct {
			Slot      int    `json:"slot"`
			Name      string `json:"name"`
			FirstPage int    `json:"first_page"`
			Pages     int    `json:"pages"`
			Bytes     int    `json:"bytes"`
			Why       string `json:"why"`
		} `json:"quarantined"`
	}
	s.run("pmm alloc app 8000 appkey")
	s.runJSON("pmm ls -json", &ls)
	assert.Len(t, ls.Blocks, bank.Blocks+1)
	assert.Empty(t, ls.Quarantined)
	last := ls.Blocks[len(ls.Blocks)-1]
	assert.Equal(t, "app", last.Name)
	assert.Equal(t, "appkey", last.Key)
	assert.Equal(t, "user", last.Owner)
	assert.Equal(t, 2, last.Pages)
	assert.Equal(t, 8192, last.Bytes)
	assert.Regexp(t, fmt.Sprintf(`(?m)^app +appkey +user +%d +2 +8192$`, last.FirstPage), crlf(s.run("pmm ls")))

	var up upgradeJSON
	s.runJSON("upgrade status -json", &up)
	assert.Equal(t, s.version(), up.Running)
	assert.Equal(t, "none", up.Phase)
	assert.Empty(t, up.StagedNew)
	assert.NotEmpty(t, up.StagedNewError)
	assert.Equal(t, uint64(30000), up.TrialLimitMs)
	assert.Equal(t, []upgradeGroupJSON{}, up.Groups)
	assert.Contains(t, crlf(s.run("upgrade status")), "running: "+up.Running+"\n")

	// a group restart and a site restart show in aps, bank and stats
	s.run(fmt.Sprintf("akill %d", aid))
	s.expect(`hr: group 4 running: idle\.4\.1 aid \d+`)
	require.NoError(t, s.Send("restart"))
	_, boots, _ = s.banner()
	s.runJSON("aps -json", &aps)
	require.Len(t, aps.Actors, 1)
	assert.Equal(t, 3, aps.Actors[0].Gen)
	assert.Equal(t, 2, aps.Actors[0].Restarts)
	s.runJSON("bank -json", &bank)
	assert.Equal(t, "warm", bank.State)
	assert.Equal(t, boots, bank.Boots)
	assert.Equal(t, 1, bank.SiteRestarts)
	assert.Equal(t, 1, bank.HotReboots)

	var stats statsJSON
	s.runJSON("stats -json", &stats)
	assert.Positive(t, stats.HeapInuse)
	assert.Positive(t, stats.Goroutines)
	assert.Positive(t, stats.StackInuse)
	assert.Positive(t, stats.UptimeMs)
	assert.Equal(t, 1, stats.SiteRestarts)
	assert.Zero(t, stats.BSSCanary)
	assert.Contains(t, crlf(s.run("stats")), "writable data: "+stats.WritableData+"\n")
}

// crlf is the console's output with plain \n line ends.
func crlf(out string) string { return strings.ReplaceAll(out, "\r\n", "\n") }

// `upgrade status -json` through a trial and its commit: the versions, the
// phase, the run time against the limit, and the groups the trial watches.
func TestUpgradeStatusJSONInTrial(t *testing.T) {
	v2 := envImage(t, "HR_V2_IMAGE")
	s := boot(t)
	s.banner()
	v1 := s.version()
	s.arun("-g 1 idle")
	require.NoError(t, s.Send("upgrade semihost:"+v2))
	s.expect(`hr: upgrade: trial: v2-test`)
	s.expect(`hr: 1 groups resumed`)
	s.expect(prompt)

	var up upgradeJSON
	s.runJSON("upgrade status -json", &up)
	assert.Equal(t, "v2-test", up.Running)
	assert.Equal(t, "v2-test", up.StagedNew)
	assert.Equal(t, v1, up.StagedPrev)
	assert.Empty(t, up.StagedNewError)
	assert.Empty(t, up.StagedPrevErr)
	assert.Equal(t, "trial", up.Phase)
	assert.Equal(t, v1, up.From)
	assert.Equal(t, "v2-test", up.To)
	assert.Equal(t, uint64(8000), up.TrialLimitMs)
	assert.LessOrEqual(t, up.TrialMs, up.TrialLimitMs)
	assert.Equal(t, []upgradeGroupJSON{{GID: 1, State: "running"}}, up.Groups)

	s.expect(`hr: upgrade: committed: v2-test`)
	s.runJSON("upgrade status -json", &up)
	assert.Equal(t, "committed", up.Phase)
	assert.Zero(t, up.TrialMs)
	assert.Equal(t, []upgradeGroupJSON{}, up.Groups)
	assert.Contains(t, crlf(s.run("upgrade status")), "state: committed: v2-test (previous "+v1+")\n")
}
