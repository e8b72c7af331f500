package qemu

import (
	"fmt"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"syscall"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// The safety nets at their edges (issue #20): a full bank, a startup script
// that restarts the site, a host path that is no regular file.

// errorLines returns the `error:` lines of a command's output.
func errorLines(out string) []string {
	var errs []string
	for _, l := range strings.Split(noCR(out), "\n") {
		if strings.HasPrefix(l, "error:") {
			errs = append(errs, l)
		}
	}
	return errs
}

// With pmm.maxBlocks reached, `upgrade semihost:` is refused with one line
// before anything stops: the upgrade's trial state has no room, and an
// upgrade without it would have no rollback. v1 keeps running, its group
// untouched (same aid), and no boot follows.
func TestUpgradeIntoAFullBankIsRefused(t *testing.T) {
	v2 := envImage(t, "HR_V2_IMAGE")
	s := boot(t)
	s.banner()
	v1 := s.version()
	a := s.arun("-g 1 idle")
	for i := 0; ; i++ {
		out := s.run(fmt.Sprintf("pmm alloc fill%d 1 k", i))
		if errs := errorLines(out); errs != nil {
			require.Equal(t, []string{fmt.Sprintf(`error: pmm alloc "fill%d": pmm: too many blocks: all 30 in use`, i)}, errs)
			break
		}
		require.Less(t, i, 30, "the bank never filled")
	}
	out := s.run("upgrade semihost:" + v2)
	assert.Equal(t, []string{"error: upgrade refused: no room in the bank for the trial state __SYS.upgrade: pmm: too many blocks: all 30 in use; " + v1 + " keeps running"}, errorLines(out))
	assert.NotContains(t, out, "staged")
	assert.Equal(t, v1, s.version())
	assert.Equal(t, []int{a}, s.aidsOf(1), "nothing was stopped")
	assert.Contains(t, noCR(s.run("upgrade status")), "state: no upgrade\n")
	assert.Equal(t, 1, strings.Count(s.Transcript(), "hr: cold boot"))
	assert.NotContains(t, s.Transcript(), "warm boot")
	assert.NotContains(t, s.Transcript(), "upgrade from")
}

// An image whose startup script restarts the site at every boot (`crash
// site`, qemu/testdata/loop.rc) hot-reboots kern.crashLoopCount (4) times,
// then the breaker's safe mode, which does not run the script, reaches a
// prompt and stays there. The script's `reboot`, which would wipe the
// breaker's count with the bank, is refused at every boot.
func TestStartupScriptCrashLoopReachesSafeMode(t *testing.T) {
	s := start(t, envImage(t, "HR_LOOP_IMAGE"))
	s.expect(`hr: SAFE MODE: 4 site restarts within 60000 ms`)
	s.expect(prompt)
	tr := noCR(s.Transcript())
	assert.Equal(t, 4, strings.Count(tr, "hr: site restart: crash site\n"), tr)
	assert.Equal(t, 1, strings.Count(tr, "hr: cold boot 1 "))
	assert.Regexp(t, `hr: warm boot 5 on mx6ullevk \(hot reboot after crash site\)`, tr)
	assert.Contains(t, tr, "startup: not run in safe mode\n")
	assert.Equal(t, 4, strings.Count(tr, "startup:6: error: reboot: refused from the startup script: a cold reboot discards the bank, and with it the crash-loop breaker that stops a script restarting at every boot\n"), tr)
	assert.NotContains(t, tr, "discarding the bank")
	assert.Contains(t, noCR(s.run("bank")), "site restarts: 4, hot reboots: 4")
	assert.Equal(t, 4, strings.Count(noCR(s.Transcript()), "hr: site restart: crash site\n"), "no restart after safe mode")
}

// `upgrade semihost:` reads regular files only, and never with a call that
// can block QEMU: a FIFO nobody writes (whose read-only open would freeze
// QEMU until the watchdog resets the board), a directory and an empty file
// are refused at once with one line, and v1 keeps running.
func TestUpgradeFromANonRegularFileIsRefused(t *testing.T) {
	// short: the line editor wraps an echo at 80 columns
	dir, err := os.MkdirTemp("", "hr")
	require.NoError(t, err)
	t.Cleanup(func() { os.RemoveAll(dir) })
	fifo := filepath.Join(dir, "image.fifo")
	require.NoError(t, syscall.Mkfifo(fifo, 0o644))
	empty := filepath.Join(dir, "empty.elf")
	require.NoError(t, os.WriteFile(empty, nil, 0o644))

	s := boot(t)
	s.banner()
	v1 := s.version()
	a := s.arun("-g 1 idle")
	keeps := "; " + v1 + " keeps running"
	for _, tc := range []struct{ path, want string }{
		{fifo, "empty or not a regular file (a FIFO, a device): only a regular file is read"},
		{dir, "a directory, not a file"},
		{empty, "empty or not a regular file (a FIFO, a device): only a regular file is read"},
	} {
		out := s.run("upgrade semihost:" + tc.path)
		assert.Equal(t, []string{"error: upgrade: " + tc.path + ": " + tc.want + keeps}, errorLines(out), tc.path)
	}
	assert.Equal(t, v1, s.version())
	assert.Equal(t, []int{a}, s.aidsOf(1))
	assert.Equal(t, 1, strings.Count(s.Transcript(), "hr: cold boot"))
	assert.NotRegexp(t, regexp.MustCompile(`warm boot|watchdog`), s.Transcript())
}
