package actors

import (
	"strconv"
	"strings"
)

// APSRow is one actor row of the `aps` text (WriteAPS), as read back.
type APSRow struct {
	AID      int    // 0 when no incarnation runs ("-")
	Gen      int    // incarnation number
	Name     string // actor name
	Program  string // "" when aps shows "-"
	Group    int    // -1 for an ordinary actor (blank GROUP)
	Kind     string // "ordinary", "direct", "indirect"
	State    string // as aps shows it: "running", "blocked", …
	Restarts int
	Uptime   string // as shown ("1.5s"), "" when none runs
	Args     string // the arguments, joined by spaces
}

// apsColumns are the actor table's columns, as WriteAPS heads them.
var apsColumns = []string{"AID", "GEN", "NAME", "PROGRAM", "GROUP", "KIND", "STATE", "RESTARTS", "UPTIME", "ARGS"}

// ParseAPS reads the actor rows of the text of `aps` back: the rows under
// the first actor table header up to the group table's, in aps's order.
// Columns are cut where the header's words start (tabwriter aligns every
// row of a table on them), so a blank GROUP (an ordinary actor) is read as
// -1. Lines before the header (an echoed command), carriage returns and
// lines that are not rows (a console transcript may interleave other
// output) are skipped. The host tests and the QEMU tests (which read aps
// on the console) share it, so the format has one reader. nil when there
// is no table.
func ParseAPS(aps string) []APSRow {
	var rows []APSRow
	var starts []int // rune offset of each column in the header
	for line := range strings.SplitSeq(aps, "\n") {
		line = strings.TrimRight(line, "\r")
		if starts == nil {
			starts = apsHeader(line)
			continue
		}
		if f := strings.Fields(line); len(f) >= 2 && f[0] == "GROUP" && f[1] == "STATE" {
			break // the group table
		}
		if r, ok := apsRow([]rune(line), starts); ok {
			rows = append(rows, r)
		}
	}
	return rows
}

// apsHeader returns where each column starts in line, nil when line is not
// the actor table's header.
func apsHeader(line string) []int {
	f := strings.Fields(line)
	if len(f) != len(apsColumns) {
		return nil
	}
	starts := make([]int, len(f))
	r := []rune(line)
	at := 0
	for i, name := range apsColumns {
		if f[i] != name {
			return nil
		}
		for at < len(r) && r[at] == ' ' {
			at++
		}
		starts[i] = at
		at += len([]rune(name))
	}
	return starts
}

func apsRow(r []rune, starts []int) (APSRow, bool) {
	cell := func(i int) string {
		from, to := min(starts[i], len(r)), len(r)
		if i+1 < len(starts) {
			to = min(starts[i+1], len(r))
		}
		return strings.TrimSpace(string(r[from:to]))
	}
	var row APSRow
	var err error
	if a := cell(0); a != "-" {
		if row.AID, err = strconv.Atoi(a); err != nil {
			return row, false
		}
	}
	if row.Gen, err = strconv.Atoi(cell(1)); err != nil {
		return row, false
	}
	row.Group = -1
	if g := cell(4); g != "" {
		if row.Group, err = strconv.Atoi(g); err != nil {
			return row, false
		}
	}
	if row.Restarts, err = strconv.Atoi(cell(7)); err != nil {
		return row, false
	}
	row.Name, row.Program, row.Kind, row.State = cell(2), cell(3), cell(5), cell(6)
	if row.Program == "-" {
		row.Program = ""
	}
	if row.Uptime = cell(8); row.Uptime == "-" {
		row.Uptime = ""
	}
	row.Args = cell(9)
	return row, true
}

// APSGroupAIDs is the aids of the running members of group gid in the
// text of `aps`, in aps's order (registration order); nil when it runs
// nothing. Aids are ints, as the console prints them.
func APSGroupAIDs(aps string, gid int) []int {
	var aids []int
	for _, r := range ParseAPS(aps) {
		if r.AID != 0 && r.Group == gid && gid >= 0 {
			aids = append(aids, r.AID)
		}
	}
	return aids
}

// APSAID is the aid of the running actor named name in the text of `aps`,
// 0 when none runs.
func APSAID(aps, name string) int {
	for _, r := range ParseAPS(aps) {
		if r.Name == name {
			return r.AID
		}
	}
	return 0
}
