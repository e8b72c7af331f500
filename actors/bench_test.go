package actors_test

import (
	"fmt"
	"testing"
	"time"

	"github.com/hotrestart/tamago-hr/actors"
	"github.com/hotrestart/tamago-hr/pmm"
)

// BenchmarkGroupRestart measures a group restart on the real clock, from
// the failure (Kill of one member) to every one of the group's 8 direct
// actors running its program again, with 1, 64 and 255 other groups alive.
// Nothing in the restart path depends on the other groups, so the figures
// must stay flat.
func BenchmarkGroupRestart(b *testing.B) {
	for _, others := range []int{1, 64, 255} {
		b.Run(fmt.Sprintf("others=%d", others), func(b *testing.B) {
			const size = 8
			geo := pmm.Geometry{Size: 4 << 20, MaxBlocks: 2*others + size + 8}
			bank, _, err := pmm.Open(make([]byte, geo.Size), geo)
			if err != nil {
				b.Fatal(err)
			}
			cfg := actors.DefaultConfig()
			cfg.MaxGroups, cfg.MaxActors = 256, others+size
			cfg.MinRunTime = 0             // no backoff: measure the restart itself
			cfg.Interval = time.Nanosecond // the badness decays at once: never escalate
			started := make(chan actors.AID, 1024)
			progs := &actors.Programs{}
			_ = progs.Register("member", func(ctx *actors.Context) error {
				if ctx.Group() == 0 {
					started <- ctx.AID()
				}
				<-ctx.Done()
				return actors.ErrStopped
			}, "")
			ctl, err := actors.New(bank, cfg, progs, actors.Deps{
				SiteRestart: func(r actors.SiteRestartRequest) { b.Errorf("site restart: %s", r.Reason) },
			})
			if err != nil {
				b.Fatal(err)
			}
			defer ctl.Shutdown(time.Second)
			for gid := 1; gid <= others; gid++ {
				if _, err := ctl.Run(gid, "member", nil); err != nil {
					b.Fatal(err)
				}
			}
			for i := 0; i < size; i++ {
				if _, err := ctl.Run(0, "member", nil); err != nil {
					b.Fatal(err)
				}
			}
			var victim actors.AID
			for i := 0; i < size; i++ {
				victim = <-started
			}
			b.ResetTimer()
			for i := 0; i < b.N; i++ {
				if err := ctl.Kill(victim); err != nil {
					b.Fatal(err)
				}
				for k := 0; k < size; k++ {
					victim = <-started
				}
			}
		})
	}
}
