package actors

import (
	"fmt"
	"time"
)

// The restart policy, as pure functions of the group's state so that the
// boundary can be tested exactly (see the package documentation):
//
//	badness' = max(0, badness - ⌊(now - lastFailure) / Interval⌋) + 1
//	escalate  = badness' > MaxBadness
//
// With the defaults (3, 10 s) a group may fail three times in a row; a
// fourth failure less than 10 s after the third is a site restart, while
// one at 10 s or later passes (badness back to 3).

// decayed is the badness b, last charged at `at`, as it stands at now.
func decayed(b int, at, now, interval time.Duration) int {
	if b <= 0 || now <= at {
		return max(b, 0)
	}
	k := (now - at) / interval
	if k >= time.Duration(b) {
		return 0
	}
	return b - int(k)
}

// charge applies one abnormal termination at now: the new badness, and
// whether it is over the limit (a site restart instead of a group restart).
func charge(b int, at, now time.Duration, cfg Config) (int, bool) {
	nb := decayed(b, at, now, cfg.Interval) + 1
	return nb, nb > cfg.MaxBadness
}

// policyReason says why g went over the limit, naming the real cause: the
// failures of this boot, and the badness the boot started with when that
// counted (carried over a site restart, or a fair start's limit minus one).
func policyReason(g *group, cfg Config) string {
	r := fmt.Sprintf("policy: group %d badness %d > maxBadness %d within %v", g.gid, g.badness, cfg.MaxBadness, cfg.Interval)
	if g.carried > 0 && g.bootFailures < g.badness {
		r += fmt.Sprintf(": %s this boot on top of badness %d carried over the site restart", plural(g.bootFailures, "failure"), g.carried)
	}
	return r
}

func plural(n int, what string) string {
	if n == 1 {
		return "1 " + what
	}
	return fmt.Sprintf("%d %ss", n, what)
}

// probation is how long after a site restart it caused a group is held,
// instead of restarting the site again, when it escalates once more: the
// time its badness takes to decay from over the limit to zero.
func probation(cfg Config) time.Duration {
	return time.Duration(cfg.MaxBadness+1) * cfg.Interval
}

// backoff is the restart delay after a failure of a member that ran for
// `ran`, given the group's count of quick failures in a row before this
// one; it returns the updated count. A failure after MinRunTime or more
// restarts at once and resets the count; a quicker one waits MinRunTime,
// doubled for each further quick failure in a row, capped at MaxBackoff —
// so a crash loop costs at most one restart per MinRunTime … MaxBackoff and
// the console stays usable.
func backoff(ran time.Duration, quick int, cfg Config) (time.Duration, int) {
	if cfg.MinRunTime <= 0 || cfg.MaxBackoff <= 0 || ran >= cfg.MinRunTime {
		return 0, 0
	}
	quick++
	d := cfg.MinRunTime
	for i := 1; i < quick && d < cfg.MaxBackoff; i++ {
		d *= 2
	}
	return min(d, cfg.MaxBackoff), quick
}
