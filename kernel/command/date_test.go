package command

import (
	"errors"
	"io"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// date names the clock's source and correction, or why there is no
// real-time clock.
func TestDateLine(t *testing.T) {
	sh, m := newMachine(t)
	m.clock = Clock{Now: time.Date(2026, 12, 3, 10, 0, 0, 0, time.FixedZone("CET", 3600)), Source: "SNVS", Correction: -30 * time.Second}
	assert.Equal(t, "2026-12-03T09:00:00Z (SNVS, correction -30s)\n", exec(t, sh, "date"))
	m.clock = Clock{Now: time.Unix(86400, 0), NoRTC: errors.New("no semihosting")}
	assert.Equal(t, "1970-01-02T00:00:00Z (no real-time clock: no semihosting)\n", exec(t, sh, "date"))
	assert.Equal(t, "error: usage: date", exec(t, sh, "date now"))
}

// date set: the command parses and refuses; the machine says where the
// date goes, then goes down; what the machine refuses is the command's
// error, and a refusal before it said anything prints nothing.
func TestDateSet(t *testing.T) {
	sh, m := newMachine(t)
	m.how = "correction +2h30m0s"
	assert.Equal(t, "date: clock set to 2026-12-03T09:30:00Z (correction +2h30m0s); the site restarts so that every timer runs on it\n",
		exec(t, sh, "date set 2026-12-03T10:30:00+01:00"))
	assert.Equal(t, []string{"date 2026-12-03T09:30:00Z"}, m.calls)
	m.calls = nil
	assert.Equal(t, "date: clock set to 2026-12-03T10:00:00Z (correction +2h30m0s); the site restarts so that every timer runs on it\n",
		exec(t, sh, "date set 2026-12-03 10:00:00"), "two words")
	assert.Equal(t, []string{"date 2026-12-03T10:00:00Z"}, m.calls)

	m.calls = nil
	assert.Equal(t, `error: date set: "yesterday": want 2026-12-03T10:00:00Z or 2026-12-03 10:00:00 (UTC)`, exec(t, sh, "date set yesterday"))
	assert.Equal(t, "error: date set: date 1999-01-01 out of range (2000-01-01 … 2106-01-01)", exec(t, sh, "date set 1999-01-01"))
	assert.Equal(t, "error: usage: date set DATE", exec(t, sh, "date set"))
	err := sh.Exec(ScriptOut{Writer: io.Discard}, "date set 2026-12-03")
	require.EqualError(t, err, "date set: not from the startup script (it would restart the site at every boot)")
	assert.Empty(t, m.calls, "nothing asked of the machine")

	m.dateErr = errors.New("needs the bank")
	assert.Equal(t, "error: date set: needs the bank", exec(t, sh, "date set 2030-01-01"), "refused before saying: date set's error")
	m.dateErr, m.downErr = nil, errors.New("a restart is already under way")
	assert.Equal(t, "date: clock set to 2030-01-01T00:00:00Z (correction +2h30m0s); the site restarts so that every timer runs on it\n"+
		"error: a restart is already under way", execOut(t, sh, "date set 2030-01-01"), "refused after: the way down's error")
}
