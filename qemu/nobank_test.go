package qemu

import (
	"fmt"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// noRoomWhy is why the kernel cannot use a full bank whose boot record
// was quarantined (noBankMode).
const noRoomWhy = `bootrec: pmm: too many blocks: all 30 in use, 1 by quarantined records`

// noBankMode fills the bank's table (b1 holds "kept"), damages the boot
// record through the gdbstub at gdbAddr, and goes down with way (`reset`,
// `restart`): the boot after it has no room for a boot record and serves
// the no-bank mode, up to its prompt.
func (s *session) noBankMode(gdbAddr, way string) {
	s.t.Helper()
	for i := 0; ; i++ {
		out := s.run(fmt.Sprintf("pmm alloc b%d 1", i))
		if strings.HasPrefix(out, "error") {
			require.Contains(s.t, out, "too many blocks")
			break
		}
	}
	s.run("pmm write b1 kept")
	corruptRecord(s.t, gdbAddr, s.bankAddr(), "__SYS.boot")
	require.NoError(s.t, s.Send(way))
	s.expect(`hr: bank unusable: ` + regexp.QuoteMeta(noRoomWhy) + `\r?\nhr: no-bank mode: only the commands that need no bank run \(help lists them\)`)
	s.expect(`hr: ready in [^\r\n]*\r?\n`)
	// what the network prints after "ready" stays expectable (banner)
	ready := s.position()
	s.expect(prompt)
	s.Unread(s.position() - ready)
}

// A site restart into the no-bank mode keeps WDOG1 armed (it cannot be
// switched off): the no-bank mode services it, so the board is not reset
// under the operator's hands (hostile finding CMD23-9: reset 4 s later).
// The board's own uptime says when three watchdog periods have passed;
// until then no second boot may start.
func TestRestartIntoNoBankModeIsNotReset(t *testing.T) {
	gdbAddr := fmt.Sprintf("127.0.0.1:%d", freePort(t))
	s := boot(t, "-gdb", "tcp:"+gdbAddr)
	s.banner()
	s.noBankMode(gdbAddr, "restart")
	require.Contains(t, s.Transcript(), "hr: site restart: console restart")
	after := len(s.Transcript())

	const periods = 3 * 4 * time.Second // kern.watchdogTimeout 4000 ms
	deadline := time.Now().Add(3 * time.Minute)
	for {
		out := s.run("uptime")
		m := regexp.MustCompile(`^up (\S+)\r\n$`).FindStringSubmatch(out)
		require.NotNil(t, m, "uptime: %q", out)
		up, err := time.ParseDuration(m[1])
		require.NoError(t, err)
		if up >= periods {
			break
		}
		require.True(t, time.Now().Before(deadline), "uptime %v after 3 minutes", up)
		time.Sleep(500 * time.Millisecond) // pace only: the board's clock decides
	}
	since := s.Transcript()[after:]
	assert.NotRegexp(t, bootRe, since, "no boot after the one into the no-bank mode")
	assert.NotContains(t, since, "hr: cpu", "no reset")
	assert.Contains(t, s.run("pmm free b0"), "freed b0", "the room made in time")
}

// The SSH console serves the no-bank mode's table (hostile finding
// CMD23-8: clients hung in the banner exchange): a board reached only over
// SSH shows what runs, refuses the rest in one line, and can make room.
func TestNoBankModeOverSSH(t *testing.T) {
	img := envImage(t, "HR_SSH_IMAGE")
	envImage(t, "HR_SSH_KEY")
	gdbAddr := fmt.Sprintf("127.0.0.1:%d", freePort(t))
	port := freePort(t)
	s := startWith(t, img, Options{SSHPort: port, Extra: []string{"-gdb", "tcp:" + gdbAddr}})
	s.banner()
	s.expect(`ssh: serving the console on 10\.0\.0\.1:22`)
	s.noBankMode(gdbAddr, "reset")
	s.expect(`ssh: serving the console on 10\.0\.0\.1:22`)
	assert.NotContains(t, s.Transcript(), "will not survive a restart")
	keys := regexp.MustCompile(`host key (SHA256:\S+)`).FindAllStringSubmatch(s.Transcript(), -1)
	require.Len(t, keys, 2)
	assert.Equal(t, keys[0][1], keys[1][1], "the bank's host key is kept")

	code, out := openssh(t, port, 30*time.Second, "version")
	assert.Equal(t, 0, code, out)
	assert.Contains(t, out, "on mx6ullevk")
	code, out = openssh(t, port, 30*time.Second, "aps")
	assert.Equal(t, 1, code, out)
	assert.Equal(t, "error: aps needs the bank (bank unusable: "+noRoomWhy+")\n", out)
	code, out = openssh(t, port, 30*time.Second, "pmm free b0")
	assert.Equal(t, 0, code, out)
	assert.Equal(t, "freed b0\n", out)
}
