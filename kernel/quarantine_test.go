//go:build !tamago

package kernel

import (
	"bytes"
	"strconv"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/hotrestart/tamago-hr/kernel/bootrec"
	"github.com/hotrestart/tamago-hr/pmm"
)

// damageRecord flips a bit of the checksum of block name's table record in
// the bank image mem, as a stray write or the debugger would: the table
// (after the journal, which may hold an old copy) is the last place in the
// metadata page where the name field reads name.
func damageRecord(t *testing.T, mem []byte, name string) {
	t.Helper()
	i := bytes.LastIndex(mem[:pmm.PageSize], []byte("\x00"+name+"\x00"))
	require.Positive(t, i, name)
	require.EqualValues(t, len(name), mem[i-2], "name length field")
	mem[i+1-16+92] ^= 0x04 // record start is 16 bytes before the name; CRC at 92
}

// One damaged block record costs that block only: the next boot keeps every
// other block and group, names the damaged one, withholds its pages, and the
// operator frees them.
func TestDamagedRecordQuarantinedOnHost(t *testing.T) {
	mem := make([]byte, testBank)
	bootOn(t, mem, Config{Programs: register})
	assert.Equal(t, "Started aid = 1\n", exec(t, "arun -g 3 idle"))
	assert.Equal(t, "allocated keep: 1 pages (4096 bytes)\n", exec(t, "pmm alloc keep 4096"))
	assert.Equal(t, "allocated lost: 2 pages (8192 bytes)\n", exec(t, "pmm alloc lost 8K"))
	assert.Equal(t, "wrote 4 bytes to keep\n", exec(t, "pmm write keep kept"))
	damageRecord(t, mem, "lost")
	assert.Contains(t, exec(t, "pmm verify"), `pmm: corrupt bank: 1 problems: slot `)
	assert.Contains(t, exec(t, "bank"), "metadata: damaged since this boot, the next boot quarantines what it hits: pmm: corrupt bank: 1 problems: slot ")

	k.recordIntent(bootrec.PathHot, bootrec.SiteAsked, "console restart")
	require.NoError(t, k.ctl.Shutdown(time.Second))
	log := bootOn(t, mem, Config{Programs: register})
	assert.False(t, k.cold(), k.bankRep.Reason)
	assert.Equal(t, "hot reboot after console restart", k.start.Reason)
	assert.Contains(t, log.String(), "hr: 1 groups resumed\n")
	assert.Contains(t, exec(t, "aps"), "idle.3.1")
	assert.Contains(t, exec(t, "pmm dump keep 4"), "kept")
	assert.EqualValues(t, 2, k.recs.Record().Boots, "the boot record is kept")

	var rep bytes.Buffer
	k.reportQuarantine(&rep)
	assert.Regexp(t, `^hr: bank: 1 damaged records quarantined, every other block kept \(`+"`pmm ls` lists them, `pmm release SLOT` frees their pages"+`\):
hr: bank: quarantined slot \d+ "lost" \(pages \d+\.\.\d+ withheld; bad checksum 0x[0-9a-f]+, computed 0x[0-9a-f]+\)
$`, rep.String())
	assert.Regexp(t, `state: warm \(valid, \d+ blocks; 1 damaged records quarantined: slot \d+ "lost" .*\)
quarantined: 1 damaged records, 2 pages withheld \(pmm ls; pmm release SLOT\)
`, exec(t, "bank"))
	assert.Regexp(t, `lost +- +QUARANTINED slot \d+ +\d+ +2 +8192
quarantined: slot \d+ "lost" \(pages`, exec(t, "pmm ls"))
	assert.Equal(t, "bank ok\n", exec(t, "pmm verify"))
	assert.Contains(t, exec(t, "pmm dump lost"), "error: pmm dump \"lost\": pmm: not found")
	assert.Equal(t, "error: pmm release 0: pmm: not found: slot 0 is not quarantined", exec(t, "pmm release 0"))
	assert.Equal(t, "freed lost\n", exec(t, "pmm free lost"))
	assert.NotContains(t, exec(t, "pmm ls"), "QUARANTINED")
	assert.NotContains(t, exec(t, "bank"), "quarantined: 1")
}

// A damaged system record: what it held starts from its defaults, said by
// name, and the rest is kept.
func TestDamagedSystemRecordOnHost(t *testing.T) {
	mem := make([]byte, testBank)
	bootOn(t, mem, Config{Programs: register})
	assert.Equal(t, "Started aid = 1\n", exec(t, "arun -g 3 idle"))
	damageRecord(t, mem, bootrec.BlockName)
	k.recordIntent(bootrec.PathHot, bootrec.SiteAsked, "console restart")
	require.NoError(t, k.ctl.Shutdown(time.Second))

	log := bootOn(t, mem, Config{Programs: register})
	assert.False(t, k.cold())
	assert.Equal(t, "no boot record in a valid bank", k.start.Reason)
	assert.EqualValues(t, 1, k.recs.Record().Boots, "counters start again")
	assert.Contains(t, log.String(), "hr: 1 groups resumed\n")
	var rep bytes.Buffer
	k.reportQuarantine(&rep)
	assert.Contains(t, rep.String(), `"__SYS.boot" (pages `)
	assert.Contains(t, rep.String(), "hr: bank: \"__SYS.boot\" lost: boot record: boot and restart counters start again\n")
	assert.Equal(t, "error: pmm free \"__SYS.boot\": pmm: privileged: name \"__SYS.boot\" has the reserved prefix __SYS", exec(t, "pmm free __SYS.boot"))
	slot := k.bank.Quarantined()[0].Slot
	assert.Equal(t, "released slot "+itoa(slot)+"\n", exec(t, "pmm release "+itoa(slot)))
}

func itoa(i int) string { return strconv.Itoa(i) }
