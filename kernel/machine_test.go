//go:build !tamago

package kernel

import (
	"bytes"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/hotrestart/tamago-hr/kernel/bootrec"
	"github.com/hotrestart/tamago-hr/kernel/command"
	"github.com/hotrestart/tamago-hr/kernel/crashlog"
)

// siliconBoard is the fake board with the i.MX6 board's silicon report.
type siliconBoard struct{ *fakeBoard }

func (siliconBoard) CPU() string       { return "Cortex-A7 r0p5" }
func (siliconBoard) BootCosts() string { return "12 bytes at this boot" }

// The values the kernel gives its commands (command.Machine): the board's
// own lines in Stats, the previous boot's log, the bank's coldness, the
// uptime in whole milliseconds.
func TestMachineValues(t *testing.T) {
	bootOn(t, make([]byte, testBank), Config{Programs: register})
	k.wall = wallClock{source: "fake clock", delta: time.Hour}
	k.booted = time.Now().Add(-1500 * time.Millisecond)
	s := k.Stats()
	assert.Equal(t, "uart: host\n", s.Console)
	assert.Equal(t, "", s.Silicon, "a board without silicon lines")
	assert.Equal(t, "fake clock", s.Clock.Source)
	assert.Equal(t, time.Hour, s.Clock.Correction)
	assert.WithinDuration(t, time.Now(), s.Clock.Now, time.Minute)
	assert.GreaterOrEqual(t, s.UptimeMs, int64(1500))
	assert.Equal(t, "off", s.WritableData)

	k.board = siliconBoard{k.board.(*fakeBoard)}
	k.laps = bootLaps{toReady: 5 * time.Millisecond, toEntry: time.Millisecond, cpuinit: time.Millisecond, toInit: time.Millisecond, mainToReady: time.Millisecond}
	assert.Equal(t, "cpu: Cortex-A7 r0p5\n"+
		"to ready: 5000 µs from the previous boot's hand-over (board clock): 1000 to cpuinit, 1000 in it, 1000 to the board's init, 1000 to main, 1000 from main\n"+
		"written with caches off: 12 bytes at this boot\n", k.Stats().Silicon)

	up := k.Uptime()
	assert.GreaterOrEqual(t, up, 1500*time.Millisecond)
	assert.Zero(t, up%time.Millisecond, "whole milliseconds")

	cold, why := k.ColdBank()
	assert.True(t, cold)
	assert.Equal(t, "blank", why)
	k.prevLog = crashlog.Log{Text: []byte("hr: before\r\n"), Found: true}
	log, err := k.Log(false)
	require.NoError(t, err)
	assert.Equal(t, k.prevLog, log)

	before := k.Stats().GCs
	assert.Greater(t, k.GC().GCs, before)

	k.bank = nil
	_, err = k.BankStatus()
	assert.EqualError(t, err, "no bank")
	assert.EqualError(t, k.SetDate(time.Now(), nil, func(string) { t.Error("said") }), "needs the bank")
}

// Each Way is its way down: what it announces, whether the actors stop,
// and the kind of reset the boot record counts.
func TestMachineGoDown(t *testing.T) {
	for _, tc := range []struct {
		way     command.Way
		say     string
		calls   []string
		running int  // actors left running
		site    bool // counted as a site restart
		auto    bool // counted by the crash-loop breaker
	}{
		{command.SiteAsked, "hr: site restart: why\n", []string{"hot", "warm"}, 0, true, false},
		{command.SiteAuto, "hr: site restart: why\n", []string{"hot", "warm"}, 0, true, true},
		{command.Reboot, "hr: cold reboot, discarding the bank\n", []string{"cold"}, 0, false, false},
		{command.Reset, "", []string{"warm"}, 1, false, false},
		{command.Halt, "hr: halted\n", []string{"exit 7"}, 0, false, false},
	} {
		b, _ := bootRecording(t, make([]byte, testBank), Config{Programs: register})
		exec(t, "arun -g 3 idle")
		k.booted = k.booted.Add(-10 * time.Millisecond) // the breaker notes a clock that moved
		var said bytes.Buffer
		k.out.Attach(&said)
		require.NoError(t, k.GoDown(tc.way, "why", 7, nil), "way %d", tc.way)
		assert.Equal(t, tc.calls, b.calls, "way %d", tc.way)
		assert.Contains(t, said.String(), tc.say, "way %d", tc.way)
		if tc.say == "" {
			assert.NotContains(t, said.String(), "hr: ", "way %d", tc.way)
		}
		assert.Equal(t, tc.running, running(), "way %d", tc.way)
		if tc.way == command.Reboot {
			continue // the bank is gone
		}
		r := k.recs.Record()
		assert.Equal(t, tc.site, r.Site, "way %d", tc.way)
		assert.Equal(t, tc.auto, r.Restarts != [bootrec.History]uint64{}, "way %d: noted by the breaker", tc.way)
	}
	bootRecording(t, make([]byte, testBank), Config{})
	assert.EqualError(t, k.GoDown(command.Halt+1, "why", 0, nil), "no way down 5")
}
