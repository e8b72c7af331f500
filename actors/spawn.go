package actors

import (
	"errors"
	"fmt"
)

// spawn is Context.Spawn: the hrfexec analog.
func (c *Controller) spawn(x *Context, name, program string, args []string) (AID, error) {
	if x.m == nil {
		return 0, fmt.Errorf("%w: %s cannot spawn %s (hrfexec needs a restartable caller)", ErrNotRestartable, x.name, name)
	}
	if err := checkName(name, MaxActorName); err != nil {
		return 0, err
	}
	var aid AID
	err := c.locked(func(p *post) error {
		switch {
		case c.closing:
			return ErrShutdown
		case x.ended || x.stopping:
			return fmt.Errorf("%w: %s cannot spawn %s while stopping", ErrStopped, x.name, name)
		}
		g := x.m.g
		if m := c.names[name]; m != nil {
			switch {
			case m.g != g:
				return fmt.Errorf("%w: %s is registered in group %d", ErrNameTaken, name, m.g.gid)
			case m.kind != Indirect:
				return fmt.Errorf("%w: %s is a direct actor of group %d", ErrNameTaken, name, g.gid)
			case m.cur != nil:
				aid = m.cur.aid
				return fmt.Errorf("%w: %s is aid %d", ErrRunning, name, aid)
			}
			nx, err := c.startMemberLocked(m, 0, c.now(), p)
			if err != nil {
				return err
			}
			aid = nx.aid
			note := ""
			if program != m.program {
				note = fmt.Sprintf(" (its record says program %s, not %s)", m.program, program)
			}
			p.logf("hr: group %d: %s respawned %s from its record: aid %d, gen %d%s", g.gid, x.name, name, aid, m.gen, note)
			return nil
		}
		if _, err := c.progs.lookup(program); err != nil {
			return err
		}
		if err := checkArgs(name, program, x.name, args); err != nil {
			return err
		}
		if c.registered >= c.cfg.MaxActors {
			return fmt.Errorf("%w: %d registered (hrCtrl.maxActors)", ErrTooManyActors, c.registered)
		}
		nx, err := c.registerAndStartLocked(g, name, program, args, Indirect, x.name, p)
		if err != nil {
			return err
		}
		aid = nx.aid
		return nil
	})
	if err != nil && !errors.Is(err, ErrRunning) {
		return 0, err
	}
	return aid, err
}
