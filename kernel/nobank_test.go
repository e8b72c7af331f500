//go:build !tamago

package kernel

import (
	"bytes"
	"fmt"
	"io"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/hotrestart/tamago-hr/kernel/bootrec"
	"github.com/hotrestart/tamago-hr/kernel/console"
)

// bootNoBank runs Main's boot on mem, expecting the bank
// to be unusable, and returns the boot log.
func bootNoBank(t *testing.T, mem []byte) *bytes.Buffer {
	t.Helper()
	log := bootHost(t, mem, Config{Programs: register, Commands: []console.Cmd{{Name: "hello", Help: "say hello",
		Fn: func(out io.Writer, _ []string) error { _, err := fmt.Fprintln(out, "hello"); return err }}}})
	require.Nil(t, k.recs, "no bank")
	return log
}

// With no bank at all (a region no geometry fits) the console serves one
// reduced table: what needs no bank runs, the rest answers one line, and a
// restart whose hot reboot fails falls back to a reset without a record.
func TestNoBankModeOnHost(t *testing.T) {
	log := bootNoBank(t, make([]byte, 100))
	why := "pmm: bad geometry: size 0x64 is not a positive multiple of the page size 0x1000"
	assert.Equal(t, "hr: bank unusable: "+why+"\nhr: no-bank mode: only the commands that need no bank run (help lists them)\n", log.String())
	for _, cmd := range []string{"stats", "bank", "dmesg", "pmm ls", "pmm alloc x 1", "arun -g 1 idle", "aps", "resume", "upgrade semihost:x", "crash site", "bench"} {
		name := cmd
		if i := bytes.IndexByte([]byte(cmd), ' '); i > 0 && cmd[:3] != "pmm" {
			name = cmd[:i]
		} else if cmd[:3] == "pmm" {
			name = cmd[:len("pmm ")+bytes.IndexByte([]byte(cmd[4:]+" "), ' ')]
		}
		assert.Equal(t, "error: "+name+" needs the bank (bank unusable: "+why+")", exec(t, cmd), cmd)
	}
	assert.Regexp(t, `^up \d`, exec(t, "uptime"))
	assert.Regexp(t, `^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ `, exec(t, "date"))
	assert.Equal(t, "error: date set needs the bank (bank unusable: "+why+")", exec(t, "date set 2030-01-01"))
	assert.Equal(t, "hello\n", exec(t, "hello"), "the image's own commands are kept")
	assert.Contains(t, exec(t, "help"), "stats")
	assert.Contains(t, exec(t, "help"), "(unavailable in this mode)")
	assert.NotPanics(t, func() { exec(t, "restart") }, "a failed hot reboot with no boot record")
	assert.Contains(t, log.String(), "hr: no hot reboot on the host; warm reset instead\n")
}

// A bank that opens but has no room for the boot record (a full table
// whose boot record was quarantined) is no bank for the kernel, but the
// operator sees it and makes room; the next boot keeps every other block.
func TestNoRoomForTheBootRecordOnHost(t *testing.T) {
	mem := make([]byte, testBank)
	bootOn(t, mem, Config{Programs: register})
	for i := 0; ; i++ {
		if out := exec(t, fmt.Sprintf("pmm alloc b%d 1", i)); out[:5] == "error" {
			assert.Contains(t, out, "too many blocks")
			break
		}
	}
	damageRecord(t, mem, bootrec.BlockName)
	require.NoError(t, k.ctl.Shutdown(time.Second))

	log := bootNoBank(t, mem)
	assert.Contains(t, log.String(), "hr: bank unusable: bootrec: pmm: too many blocks: all 30 in use, 1 by quarantined records\n")
	assert.Contains(t, exec(t, "stats"), "error: stats needs the bank (bank unusable: bootrec: pmm: too many blocks")
	assert.Regexp(t, `__SYS.boot +- +QUARANTINED slot 1 `, exec(t, "pmm ls"))
	assert.Equal(t, "freed b0\n", exec(t, "pmm free b0"))
	assert.NotPanics(t, func() { exec(t, "restart") })

	bootOn(t, mem, Config{Programs: register})
	assert.Equal(t, "no boot record in a valid bank", k.start.Reason)
	assert.Contains(t, exec(t, "pmm ls"), "b1 ")
}
