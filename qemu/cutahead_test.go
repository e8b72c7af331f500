package qemu

import (
	"fmt"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// A half line typed ahead while a command still runs (its keys wait in the
// UART receive ring, the line editor has not read them), when a policy
// escalation restarts the site: the rest of it, typed on the new boot, is
// refused whole, and nothing of it runs (hostile review of #22, finding 1).
func TestLineCutTypedAheadByEscalationRefused(t *testing.T) {
	s := boot(t)
	s.banner()
	s.arun("-g 1 idle")
	s.arun("-g 2 idle")
	aid := s.arun("-g 3 -badness 0 idle")
	require.NoError(t, s.SendRaw([]byte(fmt.Sprintf("inject %d hang\rpmm alloc cut", aid))))
	s.expect(`hr: site restart: controller: `)
	s.expect(`hr: warm boot 2 on \S+ \(hot reboot after `)
	s.expect(`hr: ready in `)
	s.expect(prompt)
	require.NoError(t, s.Send(" 64"))
	s.expect(`error: line not run: characters of it were lost \(typed during a restart, or a UART overrun: see stats\)\r\n` + prompt)
	assert.NotContains(t, s.Transcript(), "allocated cut")
	assert.NotContains(t, s.run("pmm ls"), "cut")
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
	time.Sleep(300 * time.Millisecond) // the poller takes it into the ring
	sess, err := c.NewSession()
	require.NoError(t, err)
	require.NoError(t, sess.Start("crash nil"))
	s.expect(`hr: warm boot 2 on `)
	s.expect(`hr: ready in `)
	s.expect(prompt)
	require.NoError(t, s.Send(" 64"))
	s.expect(`error: line not run: characters of it were lost \(typed during a restart, or a UART overrun: see stats\)\r\n` + prompt)
	assert.NotContains(t, s.Transcript(), "unknown command")
	assert.NotContains(t, s.run("pmm ls"), "cut")
}
