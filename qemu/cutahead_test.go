package qemu

import (
	"fmt"
	"io"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// cutTailRefused types the rest of a line cut by a restart, " 64", once
// the new boot is ready, and checks that it is refused whole and that
// nothing of the line ran (the line was "pmm alloc cut").
func (s *session) cutTailRefused() {
	s.t.Helper()
	s.expect(`hr: ready in `)
	s.expect(prompt)
	require.NoError(s.t, s.Send(" 64"))
	s.expect(`error: line not run: characters of it were lost \(typed during a restart, or a UART overrun: see stats\)\r\n` + prompt)
	assert.NotContains(s.t, s.Transcript(), "unknown command")
	assert.NotContains(s.t, s.Transcript(), "allocated cut")
	assert.NotContains(s.t, s.run("pmm ls"), "cut")
}

// A half line typed ahead while a command still runs (its keys wait in the
// UART receive ring, the line editor has not read them), when a policy
// escalation restarts the site: the rest of it, typed on the new boot, is
// refused whole, and nothing of it runs (the hostile review of #22 saw it
// run; that did not reproduce on 65c812e, at this or other key timings).
func TestLineCutTypedAheadByEscalationRefused(t *testing.T) {
	s := boot(t)
	s.banner()
	s.arun("-g 1 idle")
	s.arun("-g 2 idle")
	aid := s.arun("-g 3 -badness 0 idle")
	require.NoError(t, s.SendRaw([]byte(fmt.Sprintf("inject %d hang\rpmm alloc cut", aid))))
	s.expect(`hr: site restart: controller: `)
	s.expect(`hr: warm boot 2 on \S+ \(hot reboot after `)
	s.cutTailRefused()
}

// A half line typed ahead on the UART while its console runs a command
// (its keys wait in the receive ring) when the kernel faults (`crash nil`
// from an SSH session: no way down runs, the fault path records the
// intent): the rest of it, typed on the new boot, is refused whole.
func TestLineCutTypedAheadByKernelFaultRefused(t *testing.T) {
	s, port := sshBoot(t)
	c := dial(t, port)
	require.NoError(t, s.Send("bench restart -n 2000"))
	s.expect(`bench restart -n 2000\r\n`)
	require.NoError(t, s.SendRaw([]byte("pmm alloc cut")))
	// the poller takes it into the ring meanwhile; were it still in QEMU,
	// the new boot would discard it and refuse the tail all the same
	time.Sleep(300 * time.Millisecond)
	sess, err := c.NewSession()
	require.NoError(t, err)
	require.NoError(t, sess.Start("crash nil"))
	s.expect(`hr: warm boot 2 on `)
	s.cutTailRefused()
}

// A half line typed over SSH when a site restart comes is closed with its
// session: nothing of it runs, on the new boot's sessions or on the UART,
// and it cuts no UART line (the UART's first line after the restart runs).
func TestLineCutOverSSHClosedWithSession(t *testing.T) {
	s, port := sshBoot(t)
	sh := openShell(t, dial(t, port))
	_, err := io.WriteString(sh.stdin, "pmm alloc cut")
	require.NoError(t, err)
	sh.expect(`pmm alloc cut`) // echoed: the session's line editor holds it
	require.NoError(t, s.Send("restart"))
	s.expect(`hr: warm boot 2 on \S+ \(hot reboot after console restart\)`)
	s.expect(`ssh: serving the console on `)
	s.expect(prompt)
	ended := make(chan error, 1)
	go func() { ended <- sh.sess.Wait() }()
	select {
	case <-ended:
	case <-time.After(timeout):
		t.Fatalf("the SSH session outlived the restart:\n%s", sh.transcript())
	}
	_, _ = io.WriteString(sh.stdin, " 64\r") // nowhere: the connection is gone
	assert.Regexp(t, `^up \d`, s.run("uptime"), "the UART's first line runs")
	sh2 := openShell(t, dial(t, port))
	assert.NotContains(t, sh2.run("pmm ls"), "cut")
	assert.NotContains(t, s.Transcript(), "allocated cut")
	assert.NotContains(t, sh2.transcript(), "allocated cut")
	assert.True(t, strings.HasSuffix(sh.transcript(), "\r\nhr: this session ends\r\n"), "%q", sh.transcript())
	assert.Equal(t, 1, strings.Count(sh.transcript(), "hr: site restart: console restart"), "said once: %q", sh.transcript())
}

// A boot that goes down again before its first prompt (an upgrade to an
// image that lacks the groups' programs rolls back at boot, by the way
// down) carries the line its predecessor cut: the rest of it, typed on the
// boot after the rollback, is refused whole.
func TestLineCutCarriedAcrossRollbackRefused(t *testing.T) {
	app := envImage(t, "HR_APP_IMAGE")
	s := boot(t)
	s.banner()
	v1 := s.version()
	s.arun("-g 1 idle")
	require.NoError(t, s.SendRaw([]byte("upgrade semihost:"+app+"\rpmm alloc cut")))
	assert.Contains(t, s.bootLine(), "(upgrade from "+v1+" to app-test)")
	assert.Contains(t, s.bootLine(), "(rollback from app-test to "+v1+": ")
	s.cutTailRefused()
}
