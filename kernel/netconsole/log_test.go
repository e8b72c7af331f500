package netconsole

import (
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"github.com/hotrestart/tamago-hr/kernel/console"
)

// What actors print reaches every interactive SSH session, and a session
// that ended is no longer written to.
func TestSessionsReceiveTheConsoleLog(t *testing.T) {
	var log console.Log
	ts := startServer(t, func(c *Config) { c.Attach = log.Attach })
	a, err := openShell(t, ts.login(t))
	require.NoError(t, err)
	b, err := openShell(t, ts.login(t))
	require.NoError(t, err)
	a.waitFor(t, "hr> ")
	b.waitFor(t, "hr> ")
	// the sessions attach as their shells start: write until both see it
	require.Eventually(t, func() bool {
		log.Write([]byte("hr: group 3 restart 1\n"))
		return strings.Contains(a.output(), "group 3 restart 1") && strings.Contains(b.output(), "group 3 restart 1")
	}, 5*time.Second, 20*time.Millisecond)
	a.end(t)
	b.run(t, "help", "list every command")
	log.Write([]byte("after a left\n"))
	b.waitFor(t, "after a left")
	b.end(t)
}
