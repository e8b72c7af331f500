package actors_test

import (
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/hotrestart/tamago-hr/actors"
)

// 1000 restartable actors in 256 groups: a failure restarts one group only,
// a site restart brings all of them back, and killing every group leaves
// only the controller record in the bank.
func TestThousandActorsInGroups(t *testing.T) {
	const nActors, nGroups = 1000, 256
	e := newEnv(t, withBank(8<<20, nActors+nGroups+8), withConfig(func(c *actors.Config) {
		c.MaxActors, c.MaxGroups = nActors, nGroups
	}))
	for i := 0; i < nActors; i++ {
		e.run(i%nGroups, "wait")
	}
	_, err := e.ctl.Run(0, "wait", nil)
	assert.ErrorIs(t, err, actors.ErrTooManyActors)
	assert.Len(t, e.ctl.Groups(), nGroups)
	assert.Len(t, e.bank.Blocks(), 1+nGroups+nActors)
	before := map[string]actors.AID{}
	for _, a := range e.ctl.Actors() {
		before[a.Name] = a.AID
	}

	require.NoError(t, e.ctl.Kill(e.actor("wait.7.2").AID))
	e.waitRunning("wait.7.4", 2)
	e.waitRunning("wait.7.1", 2)
	for _, a := range e.ctl.Actors() {
		if a.Group == 7 {
			assert.NotEqual(t, before[a.Name], a.AID, a.Name)
		} else {
			assert.Equal(t, before[a.Name], a.AID, a.Name)
		}
	}

	e.reboot()
	n, err := e.ctl.Resume()
	require.NoError(t, err)
	assert.Equal(t, nGroups, n)
	e.waitFor(func() bool {
		for _, a := range e.ctl.Actors() {
			if a.State != actors.StateRunning {
				return false
			}
		}
		return true
	}, "all running")
	assert.Len(t, e.ctl.Actors(), nActors)

	for gid := 0; gid < nGroups; gid++ {
		require.NoError(t, e.ctl.KillGroup(gid))
	}
	assert.Equal(t, []string{"__SYS.hr.ctl __SYS.hr.ctl"}, blockNames(e.bank))
	assert.Empty(t, e.ctl.Actors())
}
