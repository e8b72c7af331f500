package qemu

import (
	"path/filepath"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// A reset from outside (QEMU's system_reset, like a debugger's or a glitch
// on silicon) finds the watchdog breadcrumb too, but the watchdog was
// serviced well within its period: each is an unexplained reset, none is a
// site restart, and four in a few seconds do not trip safe mode.
func TestSystemResetIsUnexplained(t *testing.T) {
	s := startWith(t, image(t), Options{Limit: 2 * time.Minute, Monitor: filepath.Join(t.TempDir(), "mon.sock")})
	s.banner()
	s.run("pmm alloc keep 100")
	s.run("pmm write keep survives")
	for i := 2; i <= 5; i++ {
		_, err := s.Monitor("system_reset", 10*time.Second)
		require.NoError(t, err)
		state, n, why := s.banner()
		require.Equal(t, "warm", state)
		require.Equal(t, i, n)
		require.Regexp(t, `^unexplained reset: no reset cause, watchdog serviced (\d+ms|[0-3](\.\d+)?s) before, period 4s; no intent recorded$`, why)
	}
	assert.NotContains(t, s.Transcript(), "SAFE MODE")
	assert.NotContains(t, s.Transcript(), "watchdog expiry")
	assert.Contains(t, s.run("bank"), "site restarts: 0, hot reboots: 0, warm resets: 0, unexpected: 4")
	assert.Contains(t, s.run("pmm dump keep 8"), "survives")
}
