//go:build !tamago

package kernel

import (
	"bytes"
	"io"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/hotrestart/tamago-hr/kernel/command"
	"github.com/hotrestart/tamago-hr/kernel/wallclock"
	"github.com/hotrestart/tamago-hr/pmm"
)

// TestClockCorrectionKept: a correction kept in one boot is read by the
// next on the same bank; none is allocated while none is needed; a full
// bank refuses to reserve it; a reserved block never written reads as none.
func TestClockCorrectionKept(t *testing.T) {
	mem := make([]byte, testBank)
	b, _, err := pmm.Open(mem, pmm.Geometry{Size: len(mem), MaxBlocks: 8})
	require.NoError(t, err)

	var w wallClock
	require.NoError(t, w.keep(0))
	require.EqualError(t, w.keep(time.Hour), "no block reserved for the clock correction __SYS.clock")
	_, _, err = b.Lookup(wallclock.BlockName)
	require.ErrorIs(t, err, pmm.ErrNotFound, "no block for a correction of 0")

	require.NoError(t, w.reserve(b))
	var empty wallClock
	empty.load(b, io.Discard)
	assert.Equal(t, time.Duration(0), empty.delta, "reserved, never written")
	assert.NotNil(t, empty.rec)

	require.NoError(t, w.keep(90*time.Minute))
	var next wallClock
	next.load(b, io.Discard)
	assert.Equal(t, 90*time.Minute, next.delta)
	require.NoError(t, next.reserve(b), "already there")
	require.NoError(t, next.keep(-time.Hour))
	var third wallClock
	third.load(b, io.Discard)
	assert.Equal(t, -time.Hour, third.delta)

	full, _, err := pmm.Open(make([]byte, testBank), pmm.Geometry{Size: testBank, MaxBlocks: 4})
	require.NoError(t, err)
	for i := 0; ; i++ {
		if _, err := full.Allocate(string(rune('a'+i)), 16, "k"); err != nil {
			break
		}
	}
	var w2 wallClock
	require.ErrorContains(t, w2.reserve(full), "no room in the bank for the clock correction __SYS.clock: pmm: too many blocks")
	assert.Nil(t, w2.rec)
}

// TestClockCorrectionDamagedCopy: when one copy of the correction's record
// is damaged, the copy left may be an older correction: none is used, and
// the boot says so in one line.
func TestClockCorrectionDamagedCopy(t *testing.T) {
	mem := make([]byte, testBank)
	b, _, err := pmm.Open(mem, pmm.Geometry{Size: len(mem), MaxBlocks: 8})
	require.NoError(t, err)
	var w wallClock
	require.NoError(t, w.reserve(b))
	require.NoError(t, w.keep(-24*time.Hour))
	require.NoError(t, w.keep(time.Hour)) // the newest, in the other copy
	blk, _, err := b.Lookup(wallclock.BlockName)
	require.NoError(t, err)
	newest := int(w.rec.Copy() - 'A')
	blk[newest*len(blk)/2+20] ^= 0xff // a byte of the newest copy's payload

	var log bytes.Buffer
	var next wallClock
	next.load(b, &log)
	assert.Equal(t, time.Duration(0), next.delta, "not the older correction")
	assert.Regexp(t, `^hr: clock: correction not used \(__SYS.clock: copy [AB] invalid \(.*\), copy [AB] used, whose correction -24h0m0s may be an older one\): the real-time clock is taken as it is; date set sets the date again\n$`, log.String())
	require.NoError(t, next.keep(2*time.Hour), "date set writes the damaged copy anew")
	log.Reset()
	var fixed wallClock
	fixed.load(b, &log)
	assert.Equal(t, 2*time.Hour, fixed.delta)
	assert.Empty(t, log.String())
}

// TestDateCommands: `date` names the source and the correction; `date set`
// refuses bad dates and the startup script with one line each.
func TestDateCommands(t *testing.T) {
	bootOn(t, make([]byte, testBank), Config{})
	k.wall = wallClock{source: "fake clock", delta: time.Hour}
	assert.Regexp(t, `^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ \(fake clock, correction \+1h0m0s\)\n$`, exec(t, "date"))
	assert.Equal(t, `error: date set: "yesterday": want 2026-12-03T10:00:00Z or 2026-12-03 10:00:00 (UTC)`, exec(t, "date set yesterday"))
	assert.Equal(t, "error: date set: date 1999-01-01 out of range (2000-01-01 … 2106-01-01)", exec(t, "date set 1999-01-01"))
	err := k.shell.Exec(command.ScriptOut{Writer: io.Discard}, "date set 2026-12-03")
	require.EqualError(t, err, "date set: not from the startup script (it would restart the site at every boot)")
	assert.Equal(t, time.Hour, k.wall.delta, "nothing kept")
}

// TestDateSetKeepsCorrection: on a board whose RTC is not its own (the
// fake board's reads 2026-12-03T07:00:00Z), `date set` keeps the
// difference in the bank inside its way down; a second request, refused
// because the board is going down, changes nothing.
func TestDateSetKeepsCorrection(t *testing.T) {
	bootOn(t, make([]byte, testBank), Config{})
	assert.Equal(t, "date: clock set to 2026-12-03T09:30:00Z (correction +2h30m0s); the site restarts so that every timer runs on it\n",
		exec(t, "date set 2026-12-03T10:30:00+01:00"))
	var w wallClock
	w.load(k.bank, io.Discard)
	assert.Equal(t, 150*time.Minute, w.delta)
	assert.Contains(t, exec(t, "date set 2030-01-01"), "error: not run: the board is going down")
	w.load(k.bank, io.Discard)
	assert.Equal(t, 150*time.Minute, w.delta, "the refused request kept nothing")
}
