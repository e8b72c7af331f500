package actors

import "fmt"

// The ChorusOS hot restart calls an actor has (ChorusOS 4.0 hot restart
// spec §3.5–3.6), on Context; Group is its own group id.

// ActorGroup is hrGetActorGroup: the restart group of the running actor
// aid. ErrNotRestartable for an ordinary actor, ErrStaleAID or ErrNoActor
// for an aid that does not run now.
func (c *Controller) ActorGroup(aid AID) (int, error) {
	c.mu.Lock()
	defer c.mu.Unlock()
	x, err := c.resolveLocked(aid)
	if err != nil {
		return -1, err
	}
	if x.m == nil {
		return -1, fmt.Errorf("%w: aid %d %s", ErrNotRestartable, aid, x.name)
	}
	return x.m.g.gid, nil
}

// ActorGroup is hrGetActorGroup(aid) for the calling actor.
func (x *Context) ActorGroup(aid AID) (int, error) { return x.c.ActorGroup(aid) }

// KillGroup is hrKillGroup(gid): every member of group gid stops for good
// and the group's records and group-key blocks are freed (Controller.
// KillGroup). Killing its own group cannot wait for itself: the kill is
// started, the caller's Done closes, and the caller should return; the
// blocks are freed once every member has returned.
func (x *Context) KillGroup(gid int) error {
	if gid != x.Group() {
		return x.c.KillGroup(gid)
	}
	g, victims, epoch, err := x.c.beginKill(gid)
	if err != nil || g == nil {
		return err
	}
	go func() { _ = x.c.finishKill(g, victims, epoch) }() // errors are logged by the controller
	return nil
}

// RequestSiteRestart asks for a site restart (the sysReboot analog for an
// actor that knows the site is inconsistent): the kernel stops every actor,
// keeps the bank and brings every group back. reason is logged and shown in
// the next boot's banner. It counts as an automatic site restart for the
// kernel's crash-loop breaker. ErrStopped when the caller is stopping.
func (x *Context) RequestSiteRestart(reason string) error {
	return x.c.locked(func(p *post) error {
		if x.stopping || x.ended || x.c.closing {
			return fmt.Errorf("%w: %s cannot request a site restart while stopping", ErrStopped, x.name)
		}
		gid := x.Group()
		p.sites = append(p.sites, SiteRestartRequest{Group: gid, Actor: x.name, AID: x.aid,
			Reason: fmt.Sprintf("requested by aid %d %s: %s", x.aid, x.name, reason), Kind: SiteRequested})
		return nil
	})
}
