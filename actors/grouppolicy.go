package actors

import (
	"fmt"
	"strconv"
	"strings"
	"time"
)

// Policy is one group's restart policy, as an OTP supervisor's intensity
// and period or a suture Spec: the fields of Config with the same names.
// A group created without one follows the controller's tunables
// (hrCtrl.maxBadness, hrCtrl.interval, …), also when an upgrade changes
// them; a group created with one keeps it in its group record, across
// site restarts and upgrades, until the group ends.
type Policy struct {
	MaxBadness int           // failures tolerated within Interval before a site restart (≥ 0)
	Interval   time.Duration // one unit of badness decays per full Interval (> 0)
	MinRunTime time.Duration // a member that ran less is restarted after a backoff (0: never)
	MaxBackoff time.Duration // the backoff doubles per quick failure up to this (0: no backoff)
}

// maxPolicyBadness bounds MaxBadness so that it fits the group record
// (u32) on every platform.
const maxPolicyBadness = 1<<31 - 1

// Validate reports the first field outside its range.
func (p Policy) Validate() error {
	if p.MaxBadness > maxPolicyBadness {
		return fmt.Errorf("policy: %w: MaxBadness %d (want at most %d)", ErrBadConfig, p.MaxBadness, maxPolicyBadness)
	}
	cfg := DefaultConfig()
	cfg.MaxBadness, cfg.Interval, cfg.MinRunTime, cfg.MaxBackoff = p.MaxBadness, p.Interval, p.MinRunTime, p.MaxBackoff
	if err := cfg.Validate(); err != nil {
		return fmt.Errorf("policy: %w", err)
	}
	return nil
}

// String is the policy as aps shows it: "3/10s backoff 1s-5s" (max
// badness per interval, backoff from MinRunTime up to MaxBackoff), or
// "3/10s no backoff".
func (p Policy) String() string {
	s := fmt.Sprintf("%d/%v", p.MaxBadness, p.Interval)
	if p.MinRunTime <= 0 || p.MaxBackoff <= 0 {
		return s + " no backoff"
	}
	return fmt.Sprintf("%s backoff %v-%v", s, p.MinRunTime, p.MaxBackoff)
}

// policyOf is cfg's policy part.
func policyOf(cfg Config) Policy {
	return Policy{MaxBadness: cfg.MaxBadness, Interval: cfg.Interval, MinRunTime: cfg.MinRunTime, MaxBackoff: cfg.MaxBackoff}
}

// cfg is the controller's config with the group's policy in it: what
// every policy decision about g uses.
func (g *group) cfg() Config {
	cfg := g.c.cfg
	if p := g.policy; p != nil {
		cfg.MaxBadness, cfg.Interval, cfg.MinRunTime, cfg.MaxBackoff = p.MaxBadness, p.Interval, p.MinRunTime, p.MaxBackoff
	}
	return cfg
}

// PolicyEdit changes a policy that starts as the controller's tunables:
// a program or an `arun` sets only what it cares about.
type PolicyEdit func(*Policy)

// WithPolicy is the ProgramOption that gives a group its own policy when
// `arun -g` creates the group with this program (a group that exists
// keeps its own): edit starts from the tunables, e.g.
//
//	actors.WithPolicy(func(p *actors.Policy) { p.MaxBadness, p.Interval = 5, time.Minute })
//
// An edit that leaves a field out of range refuses the program at
// Register.
func WithPolicy(edit PolicyEdit) ProgramOption {
	return func(p *program) error {
		if edit == nil {
			return fmt.Errorf("%w: WithPolicy(nil)", ErrBadConfig)
		}
		pol := policyOf(DefaultConfig())
		edit(&pol)
		if err := pol.Validate(); err != nil {
			return err
		}
		p.policy = edit
		return nil
	}
}

// RunOption changes how Controller.Run starts an actor.
type RunOption func(*runOpts)

type runOpts struct{ policy []PolicyEdit }

// RunPolicy gives the group that Run creates its own policy (`arun -g GID
// -badness N …`), applied after the program's WithPolicy. Run refuses it
// for a group that exists: a group's policy is set when it is created.
func RunPolicy(edit PolicyEdit) RunOption {
	return func(o *runOpts) { o.policy = append(o.policy, edit) }
}

// groupPolicy is the policy a new group gets from its program and Run's
// options; nil when neither gives one (the tunables).
func (c *Controller) groupPolicy(program string, o runOpts) (*Policy, error) {
	edits := append(c.progs.policyEdits(program), o.policy...)
	if len(edits) == 0 {
		return nil, nil
	}
	p := policyOf(c.cfg)
	for _, e := range edits {
		e(&p)
	}
	if err := p.Validate(); err != nil {
		return nil, err
	}
	return &p, nil
}

func (p *Programs) policyEdits(name string) []PolicyEdit {
	p.mu.RLock()
	defer p.mu.RUnlock()
	if e := p.m[name].policy; e != nil {
		return []PolicyEdit{e}
	}
	return nil
}

// ParsePolicyFlags reads `arun`'s policy flags from the front of args:
// -badness N, -interval DURATION, -backoff MIN-MAX ("0" for none), each
// once. It returns the edit (nil when no flag was given) and the rest of
// args. Durations are Go's (500ms, 10s, 1m).
func ParsePolicyFlags(args []string) (PolicyEdit, []string, error) {
	var edits []PolicyEdit
	seen := map[string]bool{}
	for len(args) >= 2 && strings.HasPrefix(args[0], "-") {
		flag, val := args[0], args[1]
		if seen[flag] {
			return nil, nil, fmt.Errorf("%w: %s given twice", ErrBadConfig, flag)
		}
		seen[flag] = true
		switch flag {
		case "-badness":
			n, err := strconv.Atoi(val)
			if err != nil || n < 0 {
				return nil, nil, fmt.Errorf("%w: -badness %q (want a number ≥ 0)", ErrBadConfig, val)
			}
			edits = append(edits, func(p *Policy) { p.MaxBadness = n })
		case "-interval":
			d, err := time.ParseDuration(val)
			if err != nil || d <= 0 {
				return nil, nil, fmt.Errorf("%w: -interval %q (want a duration > 0, e.g. 30s)", ErrBadConfig, val)
			}
			edits = append(edits, func(p *Policy) { p.Interval = d })
		case "-backoff":
			lo, hi, err := parseBackoff(val)
			if err != nil {
				return nil, nil, err
			}
			edits = append(edits, func(p *Policy) { p.MinRunTime, p.MaxBackoff = lo, hi })
		default:
			return nil, nil, fmt.Errorf("%w: unknown flag %s (want -badness, -interval, -backoff)", ErrBadConfig, flag)
		}
		args = args[2:]
	}
	if len(edits) == 0 {
		return nil, args, nil
	}
	return func(p *Policy) {
		for _, e := range edits {
			e(p)
		}
	}, args, nil
}

// parseBackoff reads "MIN-MAX" (e.g. 1s-5s), or "0" for no backoff.
func parseBackoff(v string) (time.Duration, time.Duration, error) {
	if v == "0" {
		return 0, 0, nil
	}
	a, b, ok := strings.Cut(v, "-")
	lo, err1 := time.ParseDuration(a)
	hi, err2 := time.ParseDuration(b)
	if !ok || err1 != nil || err2 != nil || lo <= 0 || hi < lo {
		return 0, 0, fmt.Errorf("%w: -backoff %q (want MIN-MAX with 0 < MIN ≤ MAX, e.g. 1s-5s, or 0)", ErrBadConfig, v)
	}
	return lo, hi, nil
}
