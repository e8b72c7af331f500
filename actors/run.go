package actors

import (
	"fmt"
	"math"
	"slices"
	"time"

	"github.com/hotrestart/tamago-hr/pmm"
	"github.com/hotrestart/tamago-hr/pmm/record"
)

// Run starts program with args: gid -1 runs an ordinary actor (`arun`),
// never restarted; gid 0 … MaxGroups-1 registers a direct restartable
// actor in that group (`arun -g`), creating the group when it is new. The
// name is generated ("<program>.<gid>.<n>"). On any error nothing is left
// behind: no record, no group, no registration. A group Run creates takes
// its restart policy from the program (WithPolicy) and opts (RunPolicy).
func (c *Controller) Run(gid int, program string, args []string, opts ...RunOption) (AID, error) {
	prog, err := c.progs.lookup(program)
	if err != nil {
		return 0, err
	}
	var o runOpts
	for _, opt := range opts {
		opt(&o)
	}
	if gid != -1 {
		if err := c.checkGID(gid); err != nil {
			return 0, err
		}
	} else if len(o.policy) > 0 {
		return 0, fmt.Errorf("%w: a restart policy is for a group (arun -g)", ErrBadGroup)
	}
	pol, err := c.groupPolicy(program, o)
	if err != nil {
		return 0, err
	}
	var aid AID
	err = c.locked(func(p *post) error {
		if c.closing {
			return ErrShutdown
		}
		if gid == -1 {
			a, err := c.newAID()
			if err != nil {
				return err
			}
			x := c.newContext(a, prog, program, program, args, nil, c.now())
			c.live[a] = x
			p.starts = append(p.starts, x)
			aid = a
			return nil
		}
		if g := c.groups[gid]; g != nil && len(o.policy) > 0 {
			return fmt.Errorf("%w: group %d exists with policy %v; a policy is given when a group is created", ErrGroupBusy, gid, policyOf(g.cfg()))
		}
		x, err := c.runDirectLocked(gid, program, args, pol, p)
		if err != nil {
			return err
		}
		aid = x.aid
		return nil
	})
	return aid, err
}

func (c *Controller) runDirectLocked(gid int, program string, args []string, pol *Policy, p *post) (*Context, error) {
	g := c.groups[gid]
	if g != nil && g.st.phase != phaseRunning {
		return nil, fmt.Errorf("%w: group %d is %s", ErrGroupBusy, gid, g.st.word())
	}
	if c.registered >= c.cfg.MaxActors {
		return nil, fmt.Errorf("%w: %d registered (hrCtrl.maxActors)", ErrTooManyActors, c.registered)
	}
	name := c.generateName(program, gid)
	if err := checkName(name, MaxActorName); err != nil {
		return nil, err
	}
	if err := checkArgs(name, program, "", args); err != nil {
		return nil, err
	}
	newGroup := g == nil
	if newGroup {
		var err error
		if g, err = c.createGroupLocked(gid, pol); err != nil {
			return nil, err
		}
	}
	x, err := c.registerAndStartLocked(g, name, program, args, Direct, "", p)
	if err != nil && newGroup {
		_ = c.bank.SysFree(g.key)
		c.groups[gid] = nil
	}
	return x, err
}

// generateName picks "<program>.<gid>.<n>" with the smallest free n.
func (c *Controller) generateName(program string, gid int) string {
	for n := 1; ; n++ {
		name := fmt.Sprintf("%s.%d.%d", program, gid, n)
		if c.names[name] == nil {
			return name
		}
	}
}

// createGroupLocked creates group gid and its record.
func (c *Controller) createGroupLocked(gid int, pol *Policy) (*group, error) {
	key := GroupKey(gid)
	blk, err := c.bank.AllocateAs(pmm.System, key, recordSize, key)
	if err != nil {
		return nil, fmt.Errorf("no room for the record of group %d: %w", gid, err)
	}
	g := &group{c: c, gid: gid, key: key, st: groupState{phase: phaseRunning}, cancel: make(chan struct{}), failedAt: c.pnow(),
		rec: record.New(blk, kindGroup), policy: pol}
	g.persist()
	c.groups[gid] = g
	return g, nil
}

// registerAndStartLocked registers a new member (its record block, named by
// the aid of its first incarnation) and starts it. On error nothing is
// left: the record block is freed and the name unregistered.
func (c *Controller) registerAndStartLocked(g *group, name, program string, args []string, kind Kind, spawner string, p *post) (*Context, error) {
	id, err := c.newAID()
	if err != nil {
		return nil, err
	}
	bname := actorRecordName(id)
	blk, err := c.bank.AllocateAs(pmm.System, bname, recordSize, g.key)
	if err != nil {
		return nil, fmt.Errorf("no room for the record of %s: %w", name, err)
	}
	m := &member{id: id, rec: record.New(blk, kindActor), g: g,
		name: name, program: program, args: slices.Clone(args), kind: kind, spawner: spawner}
	g.members = append(g.members, m)
	c.names[name] = m
	c.registered++
	x, err := c.startMemberLocked(m, id, c.now(), p)
	if err != nil {
		g.members = g.members[:len(g.members)-1]
		delete(c.names, name)
		c.registered--
		_ = c.bank.SysFree(bname)
		return nil, err
	}
	return x, nil
}

// startMemberLocked starts a new incarnation of m: next generation, clean
// flag cleared, record written before the goroutine starts. aid 0 takes a
// new aid; now is the controller's uptime (the caller reads the clock once
// for a whole group: a read costs half a µs under QEMU -icount).
func (c *Controller) startMemberLocked(m *member, aid AID, now time.Duration, p *post) (*Context, error) {
	prog := m.run
	if prog == nil {
		var err error
		if prog, err = c.progs.lookup(m.program); err != nil {
			m.failed = err.Error()
			return nil, err
		}
		m.run = prog
	}
	if aid == 0 {
		var err error
		if aid, err = c.newAID(); err != nil {
			return nil, err
		}
	}
	m.gen++
	m.clean = false
	if err := m.persist(); err != nil {
		m.gen--
		return nil, err
	}
	x := c.newContext(aid, prog, m.name, m.program, m.args, m, now)
	x.reuse, m.parked = m.parked, false
	m.cur, m.lastAID, m.failed = x, aid, ""
	c.live[aid] = x
	p.starts = append(p.starts, x)
	return x, nil
}

// newAID hands out the next aid. The controller record holds the end of a
// lease of aids; only when the lease is used up is a new end written, so
// most starts cost no write, and after a reset the next boot starts above
// anything that may have been handed out.
func (c *Controller) newAID() (AID, error) {
	if c.aidNext >= c.leaseEnd {
		if uint64(c.aidNext)+aidLeaseSize > math.MaxUint32 {
			return 0, fmt.Errorf("%w: actor ids exhausted", ErrTooManyActors)
		}
		end := c.aidNext + aidLeaseSize
		_ = c.ctl.Write(ctlRec{leaseEnd: end}.encode())
		c.leaseEnd = end
	}
	a := c.aidNext
	c.aidNext++
	return a, nil
}
