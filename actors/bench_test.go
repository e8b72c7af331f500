package actors_test

import (
	"fmt"
	"testing"

	"github.com/hotrestart/tamago-hr/actors/restartbench"
)

// BenchmarkGroupRestart measures a group restart on the real clock, from
// the failure (Kill of one member) to every one of the group's 8 direct
// actors running its program again, with 1, 64 and 255 other groups alive:
// the firmware's `bench restart` on the host. Nothing in the restart path
// depends on the other groups, so the figures must stay flat. ns/op is the
// mean; p50 and p99 are reported too.
func BenchmarkGroupRestart(b *testing.B) {
	for _, others := range []int{1, 64, 255} {
		b.Run(fmt.Sprintf("others=%d", others), func(b *testing.B) {
			res, err := restartbench.Run(restartbench.Options{Others: others, Restarts: b.N})
			if err != nil {
				b.Fatal(err)
			}
			b.ReportMetric(float64(res.Mean()), "ns/op")
			b.ReportMetric(float64(res.Percentile(50)), "p50-ns")
			b.ReportMetric(float64(res.Percentile(99)), "p99-ns")
		})
	}
}
