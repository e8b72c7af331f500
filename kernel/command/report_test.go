package command

import (
	"errors"
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"

	"github.com/hotrestart/tamago-hr/board/tunables"
	"github.com/hotrestart/tamago-hr/kernel/crashlog"
	tunedefs "github.com/hotrestart/tamago-hr/kernel/tunables"
)

// bank prints the machine's values as text and, with -json, the same
// values on one line; the quarantine and metadata lines only when there
// is something to say.
func TestBankPrintsOneValueTwoWays(t *testing.T) {
	sh, m := newMachine(t)
	m.bank = BankJSON{Addr: 0x9ff00000, Size: 0x40000, PageSize: 4096, Pages: 64, FreePages: 57, Blocks: 3, MaxBlocks: 30,
		State: "warm", Reason: "valid, 3 blocks", Boots: 4, LastReset: "hot reboot after console restart",
		SiteRestarts: 2, HotReboots: 1, WarmResets: 5, Unexpected: 6}
	assert.Equal(t, `bank: 0x9ff00000+0x40000 (64 pages of 4096 bytes, 57 free), 3/30 blocks
state: warm (valid, 3 blocks)
boot: 4
last reset: hot reboot after console restart
site restarts: 2, hot reboots: 1, warm resets: 5, unexpected: 6
`, exec(t, sh, "bank"))
	assert.Equal(t, `{"addr":2683305984,"size":262144,"page_size":4096,"pages":64,"free_pages":57,"blocks":3,"max_blocks":30,`+
		`"state":"warm","state_reason":"valid, 3 blocks","quarantined":0,"lost_pages":0,"metadata_error":"","boots":4,`+
		`"last_reset":"hot reboot after console restart","site_restarts":2,"hot_reboots":1,"warm_resets":5,"unexpected_resets":6}`+"\n",
		exec(t, sh, "bank -json"))

	m.bank.Quarantined, m.bank.LostPages, m.bank.MetadataError = 1, 7, "pmm: corrupt bank: 1 problems"
	assert.Equal(t, `bank: 0x9ff00000+0x40000 (64 pages of 4096 bytes, 57 free), 3/30 blocks
state: warm (valid, 3 blocks)
quarantined: 1 damaged records, 7 pages withheld (pmm ls; pmm release SLOT)
metadata: damaged since this boot, the next boot quarantines what it hits: pmm: corrupt bank: 1 problems
boot: 4
last reset: hot reboot after console restart
site restarts: 2, hot reboots: 1, warm resets: 5, unexpected: 6
`, exec(t, sh, "bank"))

	assert.Equal(t, "error: usage: bank [-json]", exec(t, sh, "bank -j"))
	m.noBank = true
	assert.Equal(t, "error: no bank", exec(t, sh, "bank"))
	assert.Equal(t, "error: no bank", exec(t, sh, "bank -json"))
	assert.Equal(t, "error: usage: bank [-json]", exec(t, sh, "bank -j"), "the flag is checked first")
}

// dmesg: the previous boot's log without its \r, what the ring dropped,
// a log lost with a cold bank, an empty one; `dmesg now` is this boot's.
func TestDmesgPrintsTheLog(t *testing.T) {
	sh, m := newMachine(t)
	m.log = crashlog.Log{Text: []byte("hr: one\r\nhr: two"), Found: true}
	assert.Equal(t, "hr: one\nhr: two\n", exec(t, sh, "dmesg"))
	m.log.Dropped = 42
	assert.Equal(t, "(older lines dropped: 42 bytes did not fit kern.dmesgSize)\nhr: one\nhr: two\n", exec(t, sh, "dmesg"))
	m.log = crashlog.Log{Found: true}
	assert.Equal(t, "(empty)\n", exec(t, sh, "dmesg"))
	m.log = crashlog.Log{}
	assert.Equal(t, "(empty)\n", exec(t, sh, "dmesg"), "not found on a warm bank: empty")
	m.cold, m.reason = true, "blank"
	assert.Equal(t, "(no log of the previous boot: it was lost with the bank, blank)\n", exec(t, sh, "dmesg"))

	m.now = crashlog.Log{Text: []byte("hr: now\r\n"), Found: true}
	assert.Equal(t, "hr: now\n\n", exec(t, sh, "dmesg now"))
	m.nowErr = errors.New("no crash log")
	assert.Equal(t, "error: no crash log", exec(t, sh, "dmesg now"))
	assert.Equal(t, "error: usage: dmesg [now]", exec(t, sh, "dmesg later"))
	assert.Equal(t, "error: usage: dmesg [now]", exec(t, sh, "dmesg now now"))
}

// tunables: one aligned line each, a * where the value built in is not
// the default.
func TestTunablesLines(t *testing.T) {
	sh, _ := newMachine(t)
	lines := strings.Split(strings.TrimSuffix(exec(t, sh, "tunables"), "\n"), "\n")
	assert.Len(t, lines, len(tunedefs.Table))
	d := tunedefs.Table[0]
	assert.Equal(t, fmt.Sprintf("%-22s %10d  default %-10d %-5s", d.Name, tunables.Current()[0], d.Default, d.Unit), lines[0])
	assert.Equal(t, "pmm.rambankSize           1048576  default 1048576    bytes", lines[0])

	cur := tunables.Current()
	cur[1]++
	var out strings.Builder
	writeTunables(&out, cur)
	got := strings.Split(out.String(), "\n")
	assert.Equal(t, lines[0], got[0])
	assert.Equal(t, fmt.Sprintf("%-22s %10d  default %-10d %-5s *", tunedefs.Table[1].Name, cur[1], tunedefs.Table[1].Default, tunedefs.Table[1].Unit), got[1])
}

// uptime: this boot's age as the machine tells it.
func TestUptime(t *testing.T) {
	sh, m := newMachine(t)
	m.uptime = 90*time.Second + 250*time.Millisecond
	assert.Equal(t, "up 1m30.25s\n", exec(t, sh, "uptime"))
}
