package actors

import (
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
