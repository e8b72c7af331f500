package qemu

import (
	"encoding/json"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// runJSON runs a listing's -json form and decodes its one line into v.
func (s *session) runJSON(line string, v any) {
	s.t.Helper()
	out := strings.ReplaceAll(s.run(line), "\r", "")
	require.Equal(s.t, 1, strings.Count(out, "\n"), "%s: one line:\n%s", line, out)
	dec := json.NewDecoder(strings.NewReader(out))
	dec.DisallowUnknownFields()
	require.NoError(s.t, dec.Decode(v), "%s:\n%s", line, out)
}

// The machine-readable listings on the board: each is one JSON line that
// encoding/json reads into the documented fields (README, "Machine-readable
// listings"), with the values the human listings show.
func TestListingsJSON(t *testing.T) {
	s := boot(t)
	_, boots, _ := s.banner()
	aid := s.arun("-g 4 counter")
	s.expect(`counter\.4\.1: 1\b`)

	var aps struct {
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
	s.runJSON("aps -json", &aps)
	require.Len(t, aps.Actors, 1)
	a := aps.Actors[0]
	assert.Equal(t, aid, a.AID)
	assert.Equal(t, "counter.4.1", a.Name)
	assert.Equal(t, "counter", a.Program)
	assert.Equal(t, []string{}, a.Args)
	assert.Equal(t, 4, a.Group)
	assert.Equal(t, "direct", a.Kind)
	assert.Equal(t, "running", a.State)
	assert.Equal(t, 1, a.Gen)
	assert.Positive(t, a.UptimeMs)
	require.Len(t, aps.Groups, 1)
	assert.Equal(t, 4, aps.Groups[0].GID)
	assert.Equal(t, "running", aps.Groups[0].State)
	assert.Equal(t, 1, aps.Groups[0].Running)
	assert.Equal(t, 1, aps.Groups[0].Members)

	var bank struct {
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
	s.runJSON("bank -json", &bank)
	human := s.run("bank")
	assert.Contains(t, human, strings.TrimSpace(
		`bank: 0x`+strings.TrimPrefix(hex(bank.Addr), "0x")+`+`+hex(uint32(bank.Size))))
	assert.Equal(t, 4096, bank.PageSize)
	assert.Equal(t, bank.Size/4096, bank.Pages)
	assert.Equal(t, "cold", bank.State)
	assert.Equal(t, boots, bank.Boots)
	assert.Zero(t, bank.SiteRestarts)
	assert.Empty(t, bank.MetadataError)

	// a site restart shows in bank and stats
	s.Send("restart")
	_, boots, _ = s.banner()
	s.expect(`counter\.4\.\d+: \d+`)
	s.runJSON("bank -json", &bank)
	assert.Equal(t, "warm", bank.State)
	assert.Equal(t, boots, bank.Boots)
	assert.Equal(t, 1, bank.SiteRestarts)
	assert.Equal(t, 1, bank.HotReboots)

	var stats struct {
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
	s.runJSON("stats -json", &stats)
	assert.Positive(t, stats.HeapInuse)
	assert.Positive(t, stats.Goroutines)
	assert.Positive(t, stats.StackInuse)
	assert.Positive(t, stats.UptimeMs)
	assert.Equal(t, 1, stats.SiteRestarts)
	assert.Zero(t, stats.BSSCanary)
	assert.Contains(t, s.run("stats"), "writable data: "+stats.WritableData+"\n")

	var up struct {
		Running        string `json:"running"`
		StagedNew      string `json:"staged_new"`
		StagedNewError string `json:"staged_new_error"`
		StagedPrev     string `json:"staged_previous"`
		StagedPrevErr  string `json:"staged_previous_error"`
		Security       uint32 `json:"security"`
		Floor          uint32 `json:"security_floor"`
		Phase          string `json:"phase"`
		From           string `json:"from"`
		To             string `json:"to"`
		Why            string `json:"why"`
		TrialMs        uint64 `json:"trial_ms"`
		TrialLimitMs   uint64 `json:"trial_limit_ms"`
		Restarts       uint32 `json:"trial_site_restarts"`
		Groups         []struct {
			GID        int    `json:"gid"`
			State      string `json:"state"`
			StateError string `json:"state_error"`
		} `json:"groups"`
	}
	s.runJSON("upgrade status -json", &up)
	assert.Equal(t, s.version(), up.Running)
	assert.Equal(t, "none", up.Phase)
	assert.Empty(t, up.StagedNew)
	assert.NotEmpty(t, up.StagedNewError)
	assert.Equal(t, uint64(30000), up.TrialLimitMs)
	assert.Equal(t, []struct {
		GID        int    `json:"gid"`
		State      string `json:"state"`
		StateError string `json:"state_error"`
	}{}, up.Groups)
	assert.Contains(t, s.run("upgrade status"), "running: "+up.Running+"\n")
}
