package actors

import (
	"encoding/json"
	"fmt"
	"io"
	"strconv"
	"strings"
	"text/tabwriter"
	"time"
)

// WriteAPS writes the `aps` table: one row per actor, then one per restart
// group. The actor columns are AID GEN NAME PROGRAM GROUP KIND STATE
// RESTARTS UPTIME ARGS; AID is "-" when no incarnation runs and GROUP is
// blank for an ordinary actor, so a script reading "AID … GROUP" as numbers
// sees exactly the running restartable actors. The group table's fifth
// column (BADNESS, "b/max") is never a plain number, for the same reason.
// POLICY is the group's restart policy (Policy.String), marked "(own)"
// when it is not the tunables; a held group's LAST FAILURE says who holds
// it and why.
func WriteAPS(w io.Writer, actors []ActorInfo, groups []GroupInfo) {
	tw := tabwriter.NewWriter(w, 0, 0, 2, ' ', 0)
	fmt.Fprintln(tw, "AID\tGEN\tNAME\tPROGRAM\tGROUP\tKIND\tSTATE\tRESTARTS\tUPTIME\tARGS")
	for _, a := range actors {
		aid, group, up := "-", "", "-"
		if a.AID != 0 {
			aid, up = strconv.FormatUint(uint64(a.AID), 10), formatUptime(a.Uptime)
		}
		if a.Group >= 0 {
			group = strconv.Itoa(a.Group)
		}
		fmt.Fprintf(tw, "%s\t%d\t%s\t%s\t%s\t%s\t%s\t%d\t%s\t%s\n", aid, a.Gen, a.Name, orDash(a.Program),
			group, a.Kind, a.State, a.Restarts, up, strings.Join(a.Args, " "))
	}
	tw.Flush()
	if len(groups) == 0 {
		return
	}
	fmt.Fprintln(w)
	tw = tabwriter.NewWriter(w, 0, 0, 2, ' ', 0)
	fmt.Fprintln(tw, "GROUP\tSTATE\tRUNNING\tRESTARTS\tBADNESS\tBLOCKED\tPOLICY\tLAST FAILURE")
	for _, g := range groups {
		last := orDash(g.LastFailure)
		if g.State == GroupBackoff {
			last = fmt.Sprintf("restart in %v; %s", formatUptime(g.Backoff), last)
		}
		pol := g.Policy.String()
		if g.OwnPolicy {
			pol += " (own)"
		}
		fmt.Fprintf(tw, "%d\t%s\t%d/%d\t%d\t%d/%d\t%d\t%s\t%s\n", g.GID, g.State, g.Running, g.Members,
			g.Restarts, g.Badness, g.MaxBadness, g.Blocked, pol, last)
	}
	tw.Flush()
}

func orDash(s string) string {
	if s == "" {
		return "-"
	}
	return s
}

// formatUptime keeps durations short: tenths below 10 s, seconds above.
func formatUptime(d time.Duration) string {
	if d < 10*time.Second {
		return d.Round(100 * time.Millisecond).String()
	}
	return d.Round(time.Second).String()
}

// APSJSON is `aps -json`: one object on one line, {"actors":[…],"groups":[…]}
// in aps's order. Field names are stable (README, "Machine-readable
// listings"); durations are in milliseconds; no list is ever null.
type APSJSON struct {
	Actors []ActorJSON `json:"actors"`
	Groups []GroupJSON `json:"groups"`
}

// ActorJSON is one actor of APSJSON (ActorInfo).
type ActorJSON struct {
	AID      uint64   `json:"aid"` // 0 when no incarnation runs
	Gen      int      `json:"gen"`
	Name     string   `json:"name"`
	Program  string   `json:"program"`
	Args     []string `json:"args"`
	Group    int      `json:"group"` // -1 for an ordinary actor
	Kind     string   `json:"kind"`  // ordinary, direct, indirect
	State    string   `json:"state"`
	Restarts int      `json:"restarts"`
	UptimeMs int64    `json:"uptime_ms"` // of the running incarnation, 0 when none runs
	Spawner  string   `json:"spawner"`   // indirect actors: the actor that spawned it
	Note     string   `json:"note"`      // why it failed to start or is not trusted
}

// GroupJSON is one restart group of APSJSON (GroupInfo).
type GroupJSON struct {
	GID         int    `json:"gid"`
	State       string `json:"state"`
	Members     int    `json:"members"`
	Direct      int    `json:"direct"`
	Running     int    `json:"running"`
	Blocked     int    `json:"blocked"`
	Restarts    int    `json:"restarts"`
	Badness     int    `json:"badness"`
	MaxBadness  int    `json:"max_badness"`
	BackoffMs   int64  `json:"backoff_ms"` // left of the restart delay, 0 unless in backoff
	LastFailure string `json:"last_failure"`
	StateError  string `json:"state_error"`
}

// NewAPSJSON converts what WriteAPS lists.
func NewAPSJSON(actors []ActorInfo, groups []GroupInfo) APSJSON {
	j := APSJSON{Actors: []ActorJSON{}, Groups: []GroupJSON{}}
	for _, a := range actors {
		args := a.Args
		if args == nil {
			args = []string{}
		}
		var up int64
		if a.AID != 0 {
			up = a.Uptime.Milliseconds()
		}
		j.Actors = append(j.Actors, ActorJSON{AID: uint64(a.AID), Gen: a.Gen, Name: a.Name, Program: a.Program,
			Args: args, Group: a.Group, Kind: a.Kind.String(), State: string(a.State), Restarts: a.Restarts,
			UptimeMs: up, Spawner: a.Spawner, Note: a.Note})
	}
	for _, g := range groups {
		var backoff int64
		if g.State == GroupBackoff {
			backoff = g.Backoff.Milliseconds()
		}
		j.Groups = append(j.Groups, GroupJSON{GID: g.GID, State: string(g.State), Members: g.Members,
			Direct: g.Direct, Running: g.Running, Blocked: g.Blocked, Restarts: g.Restarts, Badness: g.Badness,
			MaxBadness: g.MaxBadness, BackoffMs: backoff, LastFailure: g.LastFailure, StateError: g.StateError})
	}
	return j
}

// Line is j encoded on one line, with its newline.
func (j APSJSON) Line() ([]byte, error) {
	b, err := json.Marshal(j)
	return append(b, '\n'), err
}
