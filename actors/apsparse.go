package actors

import (
	"strconv"
	"strings"
)

// APSGroupAIDs reads the text of `aps` (WriteAPS) back: the aids of the
// running members of group gid, in aps's order (registration order). It
// relies on WriteAPS's contract: a row whose first (AID) and fifth (GROUP)
// fields are both numbers is a running restartable actor; every other row
// (headers, actors with no incarnation, ordinary actors, the group table)
// is skipped. The host tests and the QEMU tests (which read aps on the
// console) share it, so the format has one reader. Aids are ints, as the
// console prints them; nil when the group runs nothing.
func APSGroupAIDs(aps string, gid int) []int {
	var aids []int
	for line := range strings.SplitSeq(aps, "\n") {
		f := strings.Fields(line)
		if len(f) < 5 {
			continue
		}
		aid, err1 := strconv.Atoi(f[0])
		g, err2 := strconv.Atoi(f[4])
		if err1 == nil && err2 == nil && g == gid {
			aids = append(aids, aid)
		}
	}
	return aids
}
