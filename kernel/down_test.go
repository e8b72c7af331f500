//go:build !tamago

package kernel

import (
	"bytes"
	"errors"
	"fmt"
	"io"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/hotrestart/tamago-hr/board/tunables"
	"github.com/hotrestart/tamago-hr/kernel/bootrec"
	"github.com/hotrestart/tamago-hr/kernel/command"
	"github.com/hotrestart/tamago-hr/kernel/console"
	"github.com/hotrestart/tamago-hr/kernel/upgrade"
	"github.com/hotrestart/tamago-hr/pmm"
)

// resetBoard is the host board that notes every hand-over it is asked for
// (the host's resets return).
type resetBoard struct {
	*fakeBoard
	calls []string
}

func (b *resetBoard) HotReboot(int) error {
	b.calls = append(b.calls, "hot")
	return errors.New("no hot reboot on the host")
}
func (b *resetBoard) WarmReset() { b.calls = append(b.calls, "warm") }
func (b *resetBoard) ColdReset() { b.calls = append(b.calls, "cold") }
func (b *resetBoard) Exit(code int) bool {
	b.calls = append(b.calls, fmt.Sprint("exit ", code))
	return true
}
func (b *resetBoard) BootStaged(_ int, code, desc uint32) { b.calls = append(b.calls, "staged") }

// bootRecording boots on mem like bootOn, on a resetBoard.
func bootRecording(t *testing.T, mem []byte, cfg Config) (*resetBoard, string) {
	t.Helper()
	log := bootOn(t, mem, cfg)
	b := &resetBoard{fakeBoard: k.board.(*fakeBoard)}
	k.board = b
	return b, log.String()
}

// Every way down takes one path: the first request stops the actors,
// records its intent, closes the consoles and hands over; every later one
// is refused and changes nothing.
func TestOneWayDown(t *testing.T) {
	mem := make([]byte, testBank)
	b, _ := bootRecording(t, mem, Config{Programs: register})
	assert.Equal(t, "Started aid = 1\n", exec(t, "arun -g 3 idle"))
	exec(t, "pmm alloc keep 1 k")
	var closed []string
	k.onConsolesClose(func(string, bool) {
		r := k.recs.Record()
		closed = append(closed, fmt.Sprintf("closed with intent %q pending %v, %d actors running", r.Intent, r.Pending, running()))
	})

	assert.Equal(t, "", exec(t, "restart"))
	assert.Equal(t, []string{`closed with intent "console restart" pending true, 0 actors running`}, closed)
	assert.Equal(t, []string{"hot", "warm"}, b.calls, "a hot reboot that cannot run ends in a warm reset")
	r := k.recs.Record()
	assert.Equal(t, bootrec.PathWarm, r.Path)
	assert.Equal(t, "console restart (no hot reboot on the host)", r.Intent)

	// the console runs nothing once the board goes down (stopTyping); a
	// request from elsewhere (policy, fault, script) is refused by the latch
	for _, line := range []string{"restart", "shutdown -i 1", "reboot", "shutdown -i 0", "reset", "halt 3", "crash site", "pmm free keep"} {
		assert.Equal(t, "error: not run: the board is going down", exec(t, line), line)
	}
	for _, d := range []down{{hand: handHot}, {hand: handCold}, {hand: handWarm, raw: true}, {hand: handHalt}} {
		assert.ErrorIs(t, k.goDown(d), errGoingDown, d.hand.String())
	}
	assert.Equal(t, []string{"hot", "warm"}, b.calls, "no second hand-over")
	assert.Len(t, closed, 1)
	assert.Equal(t, r, k.recs.Record(), "a refused request records nothing")
	_, _, err := k.bank.Lookup("keep")
	assert.NoError(t, err, "a refused reboot leaves the bank")
}

// running counts the actors that run now.
func running() int {
	n := 0
	for _, a := range k.ctl.Actors() {
		if a.AID != 0 {
			n++
		}
	}
	return n
}

// Each command's hand-over and the intent the next boot reads.
func TestWaysDown(t *testing.T) {
	for _, tc := range []struct {
		line   string
		calls  []string
		path   bootrec.Path
		intent string
		bank   bool // the bank is kept
	}{
		{"restart", []string{"hot", "warm"}, bootrec.PathWarm, "console restart (no hot reboot on the host)", true},
		{"shutdown -i 1", []string{"hot", "warm"}, bootrec.PathWarm, "console shutdown -i 1 (no hot reboot on the host)", true},
		{"reset", []string{"warm"}, bootrec.PathWarm, "console reset", true},
		{"halt 3", []string{"exit 3"}, bootrec.PathWarm, "console halt", true},
		{"reboot", []string{"cold"}, bootrec.PathCold, "", false},
		{"shutdown -i 0", []string{"cold"}, bootrec.PathCold, "", false},
	} {
		mem := make([]byte, testBank)
		b, _ := bootRecording(t, mem, Config{Programs: register})
		exec(t, "arun -g 3 idle")
		assert.Equal(t, "", exec(t, tc.line), tc.line)
		assert.Equal(t, tc.calls, b.calls, tc.line)
		if !tc.bank {
			assert.Equal(t, make([]byte, testBank), mem, "%s: bank cleared", tc.line)
			continue
		}
		r := k.recs.Record()
		assert.Equal(t, tc.path, r.Path, tc.line)
		assert.Equal(t, tc.intent, r.Intent, tc.line)
		assert.True(t, r.Pending, tc.line)
	}
}

// A startup script that restarts the site at every boot, whatever command
// it uses, is stopped by the crash-loop breaker: boot kern.crashLoopCount+1
// is in safe mode, does not run the script, and so reaches the console.
// A cold reboot from the script, which would wipe the breaker's count, is
// refused at once.
func TestStartupScriptLoopEndsInSafeMode(t *testing.T) {
	saved := startupScript
	t.Cleanup(func() { startupScript = saved })
	// the persistent clock must move between boots, as it does on a board
	tick := console.Cmd{Name: "tick", Help: "wait 2 ms", Fn: func(io.Writer, []string) error {
		time.Sleep(2 * time.Millisecond)
		return nil
	}}
	cfg := Config{Programs: register, Commands: []console.Cmd{tick}}
	for _, line := range []string{"crash site", "restart", "shutdown -i 1", "reset"} {
		startupScript = "tick\n" + line + "\n"
		mem := make([]byte, testBank)
		boots := 0
		for ; boots < 3*tunables.CrashLoopCount; boots++ {
			b, log := bootRecording(t, mem, cfg)
			if k.start.SafeMode {
				assert.Contains(t, log, "startup: not run in safe mode\n", line)
				assert.NotContains(t, log, "startup:2:", line)
				assert.Empty(t, b.calls, line)
				break
			}
			assert.Contains(t, log, "startup:2: "+line+"\n", line)
			assert.NotContains(t, log, "error", line)
		}
		assert.Equal(t, tunables.CrashLoopCount, boots, "%s: boots before safe mode", line)
	}

	startupScript = "reboot\n"
	mem := make([]byte, testBank)
	b, log := bootRecording(t, mem, cfg)
	assert.Contains(t, log, "startup:1: error: "+errScriptCold.Error()+"\n")
	assert.Empty(t, b.calls)
	assert.Equal(t, "", exec(t, "reboot"), "from the console it acts")
	assert.Equal(t, []string{"cold"}, b.calls)
}

// An upgrade reserves its trial state's block before anything stops: in a
// full bank the reservation fails with one error and nothing stopped.
func TestUpgradeReservesBeforeStop(t *testing.T) {
	mem := make([]byte, testBank)
	b, _ := bootRecording(t, mem, Config{Programs: register})
	exec(t, "arun -g 3 idle")
	for i := 0; ; i++ {
		if _, err := k.bank.Allocate(fmt.Sprintf("fill%d", i), 1, "k"); err != nil {
			require.ErrorIs(t, err, pmm.ErrTooManyBlocks)
			break
		}
	}
	err := k.up.reserve(k.bank)
	assert.EqualError(t, err, "no room in the bank for the trial state __SYS.upgrade: pmm: too many blocks: all 30 in use")
	assert.EqualError(t, k.up.save(), "trial state not kept: __SYS.upgrade was not reserved")
	assert.Equal(t, 1, running())
	assert.Empty(t, b.calls)

	// with room, the block is reserved once and the state is kept
	require.NoError(t, k.bank.Free("fill0"))
	require.NoError(t, k.up.reserve(k.bank))
	k.up.state.Begin("v1", "v2", 5)
	require.NoError(t, k.up.save())
	require.NoError(t, k.up.reserve(k.bank))
	var again upgrades
	require.NoError(t, again.load(k.bank))
	assert.Equal(t, upgrade.State{Phase: upgrade.Trial, From: "v1", To: "v2", StartMs: 5}, again.state)
}

// `upgrade`'s --drop-… flags come first, name what is given up, and go with
// an image only (semihost:PATH, or the SSH stream).
func TestUpgradeFlags(t *testing.T) {
	bootOn(t, make([]byte, testBank), Config{Programs: register})
	const usage = "error: usage: upgrade [--drop-ssh] [--drop-signature] [semihost:PATH]"
	for line, want := range map[string]string{
		"upgrade --drop-all semihost:/x":                  `error: usage: upgrade: no flag "--drop-all" (--drop-ssh, --drop-signature)`,
		"upgrade nonsense":                                `error: usage: upgrade: "nonsense" is not semihost:PATH`,
		"upgrade status -x":                               "error: usage: upgrade status [-json]",
		"upgrade --drop-ssh status":                       usage,
		"upgrade --drop-signature commit":                 usage,
		"upgrade semihost:/x --drop-ssh":                  usage,
		"upgrade --drop-ssh":                              "error: usage: upgrade semihost:PATH, or over SSH: upgrade < image.elf",
		"upgrade --drop-ssh --drop-signature semihost:/x": "error: upgrade: no bank, so no staging area: nothing would survive; unknown keeps running",
	} {
		assert.Equal(t, want, exec(t, line), line)
	}
}

// asker is a session's command output (console.Asker) that counts how
// often it was told its command takes the board down.
type asker struct {
	bytes.Buffer
	told int
}

func (a *asker) TakesBoardDown() { a.told++ }

// The way down tells the output of the command that asked, once, that its
// command is the one (an SSH exec of it then exits 0); a refused request's
// asker is not told.
func TestWayDownTellsItsAsker(t *testing.T) {
	bootRecording(t, make([]byte, testBank), Config{})
	first, refused := &asker{}, &asker{}
	var closedAfterTold []bool
	k.onConsolesClose(func(string, bool) { closedAfterTold = append(closedAfterTold, first.told == 1) })
	require.NoError(t, k.GoDown(command.SiteAsked, "why", 0, first))
	assert.Equal(t, 1, first.told)
	assert.Equal(t, []bool{true}, closedAfterTold, "told before the consoles close")
	assert.ErrorIs(t, k.GoDown(command.Reset, "why", 0, refused), errGoingDown)
	assert.Equal(t, 0, refused.told)
}
