package examples

import (
	"fmt"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"github.com/hotrestart/tamago-hr/actors"
	"github.com/hotrestart/tamago-hr/pmm"
)

// logLines collects the controller's log.
type logLines struct {
	mu sync.Mutex
	l  []string
}

func (l *logLines) add(f string, a ...any) {
	l.mu.Lock()
	l.l = append(l.l, fmt.Sprintf(f, a...))
	l.mu.Unlock()
}

func (l *logLines) has(sub string) bool {
	l.mu.Lock()
	defer l.mu.Unlock()
	for _, s := range l.l {
		if strings.Contains(s, sub) {
			return true
		}
	}
	return false
}

func eventually(t *testing.T, cond func() bool, what string) {
	t.Helper()
	for deadline := time.Now().Add(20 * time.Second); !cond(); time.Sleep(time.Millisecond) {
		if time.Now().After(deadline) {
			t.Fatalf("timed out waiting for %s", what)
		}
	}
}

// Every long-running example acts on every fault kind `inject` documents
// (spin aside: nothing can stop it on the host; the QEMU suite shows the
// watchdog catching it): the injected actor fails and its group restarts.
func TestExamplesReactToEveryInjectKind(t *testing.T) {
	cases := []struct{ program, actor string }{
		{"maze -headless -rate 1 -size 60x30", "maze.0.1"},
		{"counter", "counter.0.1"},
		{"counter", "counter-client.0"},
		{"spawn 0", "spawn.0.1"},
		{"spawn 0", "HR_child.0"},
		{"idle", "idle.0.1"},
		{"churn", "churn.0.1"},
	}
	for _, c := range cases {
		for _, kind := range actors.FaultKinds() {
			if kind == "spin" {
				continue
			}
			t.Run(c.actor+"/"+kind, func(t *testing.T) {
				t.Parallel()
				bank, _, err := pmm.Open(make([]byte, 256<<10), pmm.Geometry{Size: 256 << 10, MaxBlocks: 16})
				require.NoError(t, err)
				progs := &actors.Programs{}
				require.NoError(t, Register(progs))
				cfg := actors.DefaultConfig()
				cfg.MinRunTime = 0
				var log logLines
				ctl, err := actors.New(bank, cfg, progs, actors.Deps{Log: log.add})
				require.NoError(t, err)
				t.Cleanup(func() { _ = ctl.Shutdown(time.Second) })
				f := strings.Fields(c.program)
				_, err = ctl.Run(0, f[0], f[1:])
				require.NoError(t, err)
				var aid actors.AID
				eventually(t, func() bool {
					for _, a := range ctl.Actors() {
						if a.Name == c.actor && a.State == actors.StateRunning {
							aid = a.AID
							return true
						}
					}
					return false
				}, c.actor+" running")
				time.Sleep(10 * time.Millisecond) // into its main loop
				require.NoError(t, ctl.Inject(aid, kind))
				eventually(t, func() bool { return log.has(fmt.Sprintf("hr: group 0 restart 1 (aid %d %s: ", aid, c.actor)) },
					fmt.Sprintf("a restart caused by %s (aid %d)", c.actor, aid))
			})
		}
	}
}
