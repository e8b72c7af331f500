//go:build !tamago

package kernel

import (
	"encoding/json"
	"os"
	"reflect"
	"regexp"
	"strings"
	"testing"
	"unicode/utf8"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/hotrestart/tamago-hr/actors"
	"github.com/hotrestart/tamago-hr/kernel/command"
	"github.com/hotrestart/tamago-hr/kernel/upgrade"
)

// `bank -json` on a fresh host bank, byte for byte: the field names are a
// promise to scripts (README, "Machine-readable listings").
func TestBankJSONOnHost(t *testing.T) {
	bootOn(t, make([]byte, testBank), Config{Programs: register})
	assert.Equal(t, `{"addr":2683305984,"size":262144,"page_size":4096,"pages":64,"free_pages":57,`+
		`"blocks":3,"max_blocks":30,"state":"cold","state_reason":"blank","quarantined":0,"lost_pages":0,`+
		`"metadata_error":"","boots":1,"last_reset":"cold bank: blank","site_restarts":0,"hot_reboots":0,`+
		`"warm_resets":0,"unexpected_resets":0}`+"\n", exec(t, "bank -json"))
	assert.Equal(t, "error: usage: bank [-json]", exec(t, "bank -j"))
}

// Every -json listing is one line of JSON, and the human one is unchanged.
func TestListingsJSONOnHost(t *testing.T) {
	bootOn(t, make([]byte, testBank), Config{Programs: register})
	require.Equal(t, "Started aid = 1\n", exec(t, "arun -g 3 idle"))
	for _, cmd := range []string{"aps", "stats", "bank", "upgrade status", "pmm ls"} {
		out := exec(t, cmd+" -json")
		require.True(t, strings.HasSuffix(out, "}\n"), "%s: %q", cmd, out)
		assert.Equal(t, 1, strings.Count(out, "\n"), cmd)
		var v map[string]any
		require.NoError(t, json.Unmarshal([]byte(out), &v), cmd)
		assert.NotContains(t, exec(t, cmd), "{", cmd)
		assert.Equal(t, "error: usage: "+cmd+" [-json]", exec(t, cmd+" json"), cmd)
	}
	var aps struct {
		Actors []struct {
			AID   int      `json:"aid"`
			Name  string   `json:"name"`
			Group int      `json:"group"`
			State string   `json:"state"`
			Args  []string `json:"args"`
		} `json:"actors"`
		Groups []struct {
			GID     int    `json:"gid"`
			State   string `json:"state"`
			Running int    `json:"running"`
		} `json:"groups"`
	}
	require.NoError(t, json.Unmarshal([]byte(exec(t, "aps -json")), &aps))
	require.Len(t, aps.Actors, 1)
	assert.Equal(t, 1, aps.Actors[0].AID)
	assert.Equal(t, "idle.3.1", aps.Actors[0].Name)
	assert.Equal(t, 3, aps.Actors[0].Group)
	assert.Equal(t, "running", aps.Actors[0].State)
	assert.Equal(t, []string{}, aps.Actors[0].Args)
	require.Len(t, aps.Groups, 1)
	assert.Equal(t, 3, aps.Groups[0].GID)
	assert.Equal(t, 1, aps.Groups[0].Running)
	assert.Equal(t, `{"running":"unknown","staged_new":"","staged_new_error":"no staged image: staging area of 0 bytes",`+
		`"staged_previous":"","staged_previous_error":"no staged image: staging area of 0 bytes","security":0,`+
		`"security_floor":0,"phase":"none","from":"","to":"","why":"","trial_ms":0,"trial_limit_ms":30000,`+
		`"trial_site_restarts":0,"groups":[]}`+"\n", exec(t, "upgrade status -json"))
}

// help, and every usage line of the whole table, fit in 80 columns; so does
// what each command says to arguments it refuses.
func TestConsoleFitsIn80Columns(t *testing.T) {
	bootOn(t, make([]byte, testBank), Config{Programs: register})
	fits := func(what, out string) {
		t.Helper()
		for _, l := range strings.Split(strings.TrimSuffix(out, "\n"), "\n") {
			assert.LessOrEqual(t, utf8.RuneCountInString(l), 80, "%s: %q", what, l)
		}
	}
	for _, l := range strings.Split(exec(t, "help"), "\n") {
		assert.Less(t, utf8.RuneCountInString(l), 80, "help: %q", l)
	}
	cmds := k.shell.Commands()
	require.Greater(t, len(cmds), 30)
	for _, c := range cmds {
		fits(c.Name+" usage", "error: usage: "+c.Usage())
		if c.MaxArgs >= 0 {
			line := c.Name + strings.Repeat(" -x", c.MaxArgs+1)
			fits(line, exec(t, line))
		}
		if n := max(c.MinArgs, 1); c.MaxArgs < 0 || n <= c.MaxArgs {
			line := c.Name + strings.Repeat(" -x", n)
			fits(line, exec(t, line))
		}
	}
}

// jsonFields lists the json names of t's fields and of the structs it
// holds (in lists too).
func jsonFields(t reflect.Type) []string {
	var out []string
	for t.Kind() == reflect.Slice {
		t = t.Elem()
	}
	if t.Kind() != reflect.Struct {
		return nil
	}
	for i := range t.NumField() {
		f := t.Field(i)
		out = append(out, strings.Split(f.Tag.Get("json"), ",")[0])
		out = append(out, jsonFields(f.Type)...)
	}
	return out
}

// Every field of every -json listing is in the README's table, on its
// command's row: the field names are a documented promise.
func TestListingsJSONDocumented(t *testing.T) {
	readme, err := os.ReadFile("../README.md")
	require.NoError(t, err)
	for cmd, v := range map[string]any{"aps -json": actors.APSJSON{}, "stats -json": command.StatsJSON{},
		"bank -json": command.BankJSON{}, "pmm ls -json": command.PmmLsJSON{}, "upgrade status -json": upgrade.StatusJSON{}} {
		m := regexp.MustCompile("(?m)^\\| `" + regexp.QuoteMeta(cmd) + "` \\|(.*)\\|$").FindSubmatch(readme)
		require.NotNil(t, m, "README has no row for %s", cmd)
		fields := jsonFields(reflect.TypeOf(v))
		require.NotEmpty(t, fields)
		for _, f := range fields {
			assert.Contains(t, string(m[1]), "`"+f+"`", "%s: field %s is not documented", cmd, f)
		}
	}
}
