package command

import (
	"bytes"
	"errors"
	"io"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/hotrestart/tamago-hr/actors"
	"github.com/hotrestart/tamago-hr/kernel/console"
	"github.com/hotrestart/tamago-hr/pmm"
)

// hostSystem is a System on the host: a bank in a byte slice, a controller
// with one program, and what the kernel was told.
type hostSystem struct {
	bank   *pmm.Bank
	ctl    *actors.Controller
	progs  *actors.Programs
	safe   bool     // in safe mode
	killed []int    // GroupKilled's groups
	calls  []string // LeaveSafeMode's
}

func (s *hostSystem) Bank() *pmm.Bank                  { return s.bank }
func (s *hostSystem) Controller() *actors.Controller   { return s.ctl }
func (s *hostSystem) Programs() *actors.Programs       { return s.progs }
func (s *hostSystem) GroupKilled(out io.Writer, g int) { s.killed = append(s.killed, g) }
func (s *hostSystem) LeaveSafeMode(out io.Writer) error {
	if !s.safe {
		return errors.New("resume: not in safe mode")
	}
	s.safe = false
	s.calls = append(s.calls, "resumed")
	return nil
}

// idle runs until it must stop.
func idle(ctx *actors.Context) error {
	<-ctx.Done()
	return actors.ErrStopped
}

const testBank = 64 * pmm.PageSize

// newHost adds the commands to a new shell over a host system.
func newHost(t *testing.T) (*console.Shell, *set, *hostSystem) {
	t.Helper()
	bank, _, err := pmm.Open(make([]byte, testBank), pmm.Geometry{Size: testBank, MaxBlocks: 30})
	require.NoError(t, err)
	progs := &actors.Programs{}
	require.NoError(t, progs.Register("idle", idle, "wait until stopped"))
	ctl, err := actors.New(bank, actors.DefaultConfig(), progs, actors.Deps{})
	require.NoError(t, err)
	t.Cleanup(func() { _ = ctl.Shutdown(time.Second) })
	sys := &hostSystem{bank: bank, ctl: ctl, progs: progs}
	sh := console.New()
	c := add(sh, sys)
	return sh, c, sys
}

// exec runs a console line and returns its output, or the error's text.
func exec(t *testing.T, sh *console.Shell, line string) string {
	t.Helper()
	var out bytes.Buffer
	if err := sh.Exec(&out, line); err != nil {
		return "error: " + err.Error()
	}
	return out.String()
}

// The commands reach the kernel only through System: `akill -g` tells it
// the group ended, `resume` without a GID asks it to leave safe mode, and
// with no bank or no controller they say so.
func TestCommandsWorkThroughSystem(t *testing.T) {
	sh, _, sys := newHost(t)
	assert.Equal(t, "Started aid = 1\n", exec(t, sh, "arun -g 3 idle"))
	assert.Equal(t, "group 3 killed\n", exec(t, sh, "akill -g 3"))
	assert.Equal(t, []int{3}, sys.killed)
	assert.Equal(t, "error: resume: not in safe mode", exec(t, sh, "resume"))
	sys.safe = true
	assert.Equal(t, "", exec(t, sh, "resume"))
	assert.Equal(t, []string{"resumed"}, sys.calls)
	assert.Equal(t, "idle       wait until stopped\n", exec(t, sh, "programs"))

	sys.ctl, sys.bank = nil, nil
	for _, cmd := range []string{"aps", "arun idle", "resume", "programs"} {
		assert.Equal(t, "error: no controller (bank unusable)", exec(t, sh, cmd), cmd)
	}
	for _, cmd := range []string{"pmm ls", "state show a@1", "bench"} {
		assert.Equal(t, "error: pmm: no bank", exec(t, sh, cmd), cmd)
	}
	var names []string // console.New adds help
	for _, c := range sh.Commands() {
		names = append(names, c.Name)
	}
	assert.Equal(t, []string{"akill", "aps", "arun", "bench", "bench restart", "help", "inject", "pmm alloc", "pmm dump", "pmm free",
		"pmm freeall", "pmm ls", "pmm release", "pmm stat", "pmm verify", "pmm write", "programs", "resume", "state show"}, names)
}
