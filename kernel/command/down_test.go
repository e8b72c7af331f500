package command

import (
	"errors"
	"fmt"
	"io"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// Each way down asks the machine for its way, with the intent the next
// boot's banner shows; from the startup script it says so; a refused way
// down is the command's error, as the machine words it.
func TestDownCommandsAskTheirWay(t *testing.T) {
	sh, m := newMachine(t)
	for _, tc := range []struct {
		line string
		want string // Way, why, code, script
	}{
		{"restart", fmt.Sprintf("%d console restart 0 false", SiteAsked)},
		{"shutdown -i 1", fmt.Sprintf("%d console shutdown -i 1 0 false", SiteAsked)},
		{"shutdown -i 0", fmt.Sprintf("%d console reboot 0 false", Reboot)},
		{"reboot", fmt.Sprintf("%d console reboot 0 false", Reboot)},
		{"reset", fmt.Sprintf("%d console reset 0 false", Reset)},
		{"halt", fmt.Sprintf("%d console halt 0 false", Halt)},
		{"halt 255", fmt.Sprintf("%d console halt 255 false", Halt)},
		{"crash site", fmt.Sprintf("%d crash site 0 false", SiteAuto)},
	} {
		m.calls = nil
		assert.Equal(t, "", exec(t, sh, tc.line), tc.line)
		assert.Equal(t, []string{tc.want}, m.calls, tc.line)

		m.calls = nil
		require.NoError(t, sh.Exec(ScriptOut{Writer: io.Discard}, tc.line), tc.line)
		assert.Equal(t, []string{tc.want[:len(tc.want)-len("false")] + "true"}, m.calls, tc.line+" from the script")
	}
	m.calls, m.downErr = nil, errors.New("a restart is already under way")
	assert.Equal(t, "error: a restart is already under way", exec(t, sh, "restart"))
	assert.Equal(t, "error: a restart is already under way", exec(t, sh, "halt 3"))
	assert.Len(t, m.calls, 2)
}

// Bad arguments get one line and go nowhere.
func TestDownCommandsRefuseBadArguments(t *testing.T) {
	sh, m := newMachine(t)
	for line, want := range map[string]string{
		"shutdown -x 0":  "error: usage: shutdown -i 0|1",
		"shutdown -i 2":  `error: shutdown: run level "2" not supported (0 reboot, 1 site restart)`,
		"shutdown -i":    "error: usage: shutdown -i 0|1",
		"halt 256":       `error: halt: code "256" is not 0…255`,
		"halt -1":        `error: halt: code "-1" is not 0…255`,
		"halt +5":        `error: halt: code "+5" is not 0…255`,
		"halt x":         `error: halt: code "x" is not 0…255`,
		"halt 1 2":       "error: usage: halt [CODE]",
		"crash":          "error: usage: crash panic|nil|undef|site",
		"crash oops":     `error: crash: unknown kind "oops" (panic|nil|undef|site)`,
		"restart now":    "error: usage: restart",
		"reboot -f":      "error: usage: reboot",
		"reset 1":        "error: usage: reset",
		"crash site now": "error: usage: crash panic|nil|undef|site",
	} {
		assert.Equal(t, want, exec(t, sh, line), line)
	}
	assert.Empty(t, m.calls)
}

// crash fails the console goroutine itself: a panic, a nil pointer write,
// an undefined instruction (on the host kernel/trap panics for it).
func TestCrashFailsTheConsoleGoroutine(t *testing.T) {
	sh, m := newMachine(t)
	assert.PanicsWithValue(t, "crash: panic in the console goroutine", func() { exec(t, sh, "crash panic") })
	assert.PanicsWithValue(t, "undefined instruction (host build)", func() { exec(t, sh, "crash undef") })
	assert.Panics(t, func() { exec(t, sh, "crash nil") })
	assert.Empty(t, m.calls)
}
