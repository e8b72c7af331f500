package actors_test

import (
	"bytes"
	"sync"
	"testing"

	"github.com/stretchr/testify/assert"

	"github.com/hotrestart/tamago-hr/actors"
)

// Console commands, failures and restarts from many goroutines at once:
// for the race detector, and to check the controller stays consistent.
func TestConcurrentOperations(t *testing.T) {
	e := newEnv(t, withConfig(func(c *actors.Config) { c.MaxBadness = 1 << 20 }))
	for gid := 0; gid < 8; gid++ {
		e.run(gid, "parent", "always", "kid"+itoa(actors.AID(gid)), "wait")
		e.run(gid, "wait")
	}
	var wg sync.WaitGroup
	for w := 0; w < 4; w++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for i := 0; i < 50; i++ {
				for _, a := range e.ctl.Actors() {
					if a.AID != 0 && (i+int(a.AID))%7 == 0 {
						_ = e.ctl.Kill(a.AID)
						_ = e.ctl.Inject(a.AID, "panic")
					}
				}
				var b bytes.Buffer
				actors.WriteAPS(&b, e.ctl.Actors(), e.ctl.Groups())
				if aid, err := e.ctl.Run(-1, "quit", nil); err == nil {
					_ = e.ctl.Kill(aid)
				}
			}
		}()
	}
	wg.Wait()
	for gid := 0; gid < 8; gid += 2 {
		assert.NoError(t, e.ctl.KillGroup(gid))
	}
	// the odd groups settle: both direct actors and the kid run
	for gid := 1; gid < 8; gid += 2 {
		e.waitFor(func() bool {
			g, ok := e.group(gid)
			return ok && g.State == actors.GroupRunning && g.Running == 3
		}, "group %d settled", gid)
	}
	assert.Empty(t, e.sites.all())
}
