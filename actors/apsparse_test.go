package actors_test

import (
	"bytes"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"

	"github.com/hotrestart/tamago-hr/actors"
)

// apsText is an aps listing with every kind of row: running direct
// actors of two groups, an indirect actor with no incarnation, an ordinary
// actor (blank GROUP), a program name wider in bytes than in runes.
func apsText() string {
	var buf bytes.Buffer
	actors.WriteAPS(&buf, []actors.ActorInfo{
		{AID: 12, Gen: 2, Name: "a.1.1", Program: "zäöüßler", Group: 1, Kind: actors.Direct, State: actors.StateRunning, Restarts: 1,
			Uptime: 1500 * time.Millisecond, Args: []string{"-n", "3"}},
		{AID: 0, Gen: 1, Name: "kid", Program: "wait", Group: 1, Kind: actors.Indirect, State: actors.StateBlocked},
		{AID: 9, Gen: 1, Name: "b.1.2", Program: "idle", Group: 1, Kind: actors.Direct, State: actors.StateRunning},
		{AID: 15, Gen: 1, Name: "c.2.1", Program: "idle", Group: 2, Kind: actors.Direct, State: actors.StateRunning},
		{AID: 1, Gen: 1, Name: "wait", Program: "wait", Group: -1, Kind: actors.Ordinary, State: actors.StateRunning, Args: []string{"1", "1", "1", "1"}},
	}, []actors.GroupInfo{{GID: 1, State: actors.GroupRunning, Members: 3, Running: 2, MaxBadness: 3},
		{GID: 2, State: actors.GroupRunning, Members: 1, Running: 1, MaxBadness: 3}})
	return buf.String()
}

// ParseAPS reads back every actor row WriteAPS writes, column by column,
// and stops at the group table.
func TestParseAPS(t *testing.T) {
	want := []actors.APSRow{
		{AID: 12, Gen: 2, Name: "a.1.1", Program: "zäöüßler", Group: 1, Kind: "direct", State: "running", Restarts: 1, Uptime: "1.5s", Args: "-n 3"},
		{Gen: 1, Name: "kid", Program: "wait", Group: 1, Kind: "indirect", State: "blocked"},
		{AID: 9, Gen: 1, Name: "b.1.2", Program: "idle", Group: 1, Kind: "direct", State: "running", Uptime: "0s"},
		{AID: 15, Gen: 1, Name: "c.2.1", Program: "idle", Group: 2, Kind: "direct", State: "running", Uptime: "0s"},
		{AID: 1, Gen: 1, Name: "wait", Program: "wait", Group: -1, Kind: "ordinary", State: "running", Uptime: "0s", Args: "1 1 1 1"},
	}
	out := apsText()
	assert.Equal(t, want, actors.ParseAPS(out))
	// as a console transcript: an echoed command, CRLF line ends, an
	// actor's output and a blank line in the middle
	tr := strings.ReplaceAll(out, "\n", "\r\n")
	i := strings.LastIndex(tr[:strings.Index(tr, "kid")], "\n") + 1
	tr = tr[:i] + "\r\nhello from an actor\r\n" + tr[i:]
	assert.Equal(t, want, actors.ParseAPS("aps\r\n"+tr))
	assert.Nil(t, actors.ParseAPS(""))
	assert.Nil(t, actors.ParseAPS("error: no controller\n"))
}

// APSGroupAIDs: the running members of one group, in aps's order; never
// an actor with no incarnation, an ordinary actor or the group table.
// APSAID: the aid of a running actor by name.
func TestAPSGroupAIDs(t *testing.T) {
	out := apsText()
	assert.Equal(t, []int{12, 9}, actors.APSGroupAIDs(out, 1))
	assert.Equal(t, []int{15}, actors.APSGroupAIDs(out, 2))
	assert.Nil(t, actors.APSGroupAIDs(out, 3))
	assert.Nil(t, actors.APSGroupAIDs(out, -1))
	assert.Nil(t, actors.APSGroupAIDs("", 1))
	assert.Equal(t, 9, actors.APSAID(out, "b.1.2"))
	assert.Equal(t, 0, actors.APSAID(out, "kid"), "no incarnation runs")
	assert.Equal(t, 0, actors.APSAID(out, "nobody"))
}
