package actors

import (
	"errors"
	"fmt"
	"slices"
	"strings"
	"time"

	"github.com/hotrestart/tamago-hr/pmm"
	"github.com/hotrestart/tamago-hr/pmm/record"
)

// open rebuilds the controller's memory from its records in the bank (New).
// What a reset may have left half-done is finished here, and said so:
//   - a group whose record has the killed flag: the kill is completed;
//   - an actor record that was allocated but never written (a reset inside
//     a registration): freed — no aid was ever reported for it;
//   - a group without members: freed, unless the bank quarantined a
//     damaged table record (pmm doc, Damage), which may be its member's:
//     then its blocks are kept for the operator; a group whose members all
//     exited cleanly: terminated;
//   - a record with no valid copy: not trusted; the member is kept as
//     "corrupt" (never run, freed with its group by akill -g).
func (c *Controller) open(p *post) error {
	if err := c.openCtl(p); err != nil {
		return err
	}
	type found struct {
		record bool
		actors []AID
	}
	byGID := map[int]*found{}
	var maxID AID
	for _, b := range c.bank.Blocks() {
		if b.Owner != pmm.System || !strings.HasPrefix(b.Key, groupPrefix) {
			continue
		}
		n, ok := parseNum(b.Key, groupPrefix)
		if !ok || n >= uint64(c.cfg.MaxGroups) {
			p.logf("hr: block %s (key %s) is outside groups 0…%d: left alone", b.Name, b.Key, c.cfg.MaxGroups-1)
			continue
		}
		gid := int(n)
		f := byGID[gid]
		if f == nil {
			f = &found{}
			byGID[gid] = f
		}
		if b.Name == b.Key {
			f.record = true
			continue
		}
		id, ok := parseNum(b.Name, actorPrefix)
		if !ok || id == 0 {
			p.logf("hr: group %d: unknown system block %s: left alone (freed with the group)", gid, b.Name)
			continue
		}
		f.actors = append(f.actors, AID(id))
		maxID = max(maxID, AID(id))
	}
	gids := make([]int, 0, len(byGID))
	for gid := range byGID {
		gids = append(gids, gid)
	}
	slices.Sort(gids)
	for _, gid := range gids {
		f := byGID[gid]
		slices.Sort(f.actors)
		c.openGroup(gid, f.record, f.actors, p)
	}
	// Every record carries the lease end of its last write, so even without
	// the controller record no aid issued before can be handed out again.
	if hi := max(c.recLease, max(maxID+1, maxID)); hi > c.leaseEnd { // at 2³²-1, newAID refuses instead of wrapping
		p.logf("hr: aids continue above %d (from the actor and group records)", hi-1)
		c.leaseEnd = hi
	}
	c.aidNext = c.leaseEnd
	groups := 0
	for _, g := range c.groups {
		if g != nil {
			groups++
		}
	}
	p.logf("hr: controller: %d groups in the bank, %d restartable actors registered, next aid %d", groups, c.registered, c.aidNext)
	return nil
}

// openCtl opens (or creates) the controller record.
func (c *Controller) openCtl(p *post) error {
	blk, _, err := c.bank.Lookup(ctlName)
	if errors.Is(err, pmm.ErrNotFound) {
		blk, err = c.bank.AllocateAs(pmm.System, ctlName, recordSize, ctlName)
	}
	if err != nil {
		return fmt.Errorf("hr: controller record %s: %w", ctlName, err)
	}
	r, payload, err := record.Load(blk, kindCtl)
	c.ctl, c.leaseEnd = r, 1
	switch {
	case err == nil:
		if note := r.Note(); note != "" {
			p.logf("hr: controller record %s: %s", ctlName, note)
		}
		cr, err := decodeCtl(payload)
		if err != nil || cr.leaseEnd == 0 {
			p.logf("hr: controller record %s: not trusted (%v): aids continue above the highest record", ctlName, err)
			break
		}
		c.leaseEnd = cr.leaseEnd
	case !errors.Is(err, record.ErrEmpty):
		p.logf("hr: controller record %s: %v: not trusted, aids continue above the highest record", ctlName, err)
	}
	return nil
}

// openGroup rebuilds group gid from its record (if any) and its members'
// records (ids sorted, i.e. registration order).
func (c *Controller) openGroup(gid int, hasRecord bool, ids []AID, p *post) {
	key := GroupKey(gid)
	g := &group{c: c, gid: gid, key: key, st: groupState{phase: phaseWaiting}, cancel: make(chan struct{})}
	var gr groupRec
	trusted := false
	if hasRecord {
		blk, _, err := c.bank.Lookup(key)
		if err != nil {
			p.logf("hr: group %d record: %v", gid, err)
		} else {
			r, payload, err := record.Load(blk, kindGroup)
			g.rec = r
			note := r.Note()
			if err != nil {
				note = err.Error()
			} else {
				var derr error
				gr, derr = decodeGroup(payload)
				switch {
				case derr != nil:
					note = derr.Error()
				case gr.gid != gid:
					note = fmt.Sprintf("says group %d", gr.gid)
				default:
					trusted = true
				}
			}
			if !trusted {
				p.logf("hr: group %d record not trusted (%s): counters reset", gid, note)
			} else if note != "" {
				p.logf("hr: group %d record: %s", gid, note)
			}
		}
	}
	if trusted {
		c.recLease = max(c.recLease, gr.leaseEnd)
	}
	if trusted && gr.killed {
		n, err := c.bank.SysFreeAll(key)
		p.logf("hr: group %d: finishing a kill a reset interrupted: %d blocks freed%s", gid, n, errNote(err))
		return
	}
	for _, id := range ids {
		if m := c.openMember(g, id, p); m != nil {
			g.members = append(g.members, m)
		}
	}
	if len(g.members) == 0 {
		if q := c.bank.Quarantined(); len(q) > 0 {
			// Its member's record may be the damaged one: its blocks (the
			// group's typed state) are the operator's to keep or free.
			p.logf("hr: group %d has no member, and the bank quarantined %d damaged records (one may be its member's): its blocks are kept (arun -g %d adopts them; pmm release, then a restart, frees them)",
				gid, len(q), gid)
			return
		}
		n, err := c.bank.SysFreeAll(key)
		p.logf("hr: group %d has no member (a registration was interrupted): %d blocks freed%s", gid, n, errNote(err))
		return
	}
	if g.allClean() {
		n, err := c.bank.SysFreeAll(key)
		p.logf("hr: group %d: every member had exited cleanly: terminated, %d blocks freed%s", gid, n, errNote(err))
		return
	}
	if g.rec == nil {
		blk, err := c.bank.AllocateAs(pmm.System, key, recordSize, key)
		if err != nil {
			p.logf("hr: group %d: cannot recreate its record: %v (its counters will not persist)", gid, err)
		} else {
			g.rec = record.New(blk, kindGroup)
		}
	}
	if trusted {
		g.restarts, g.badness, g.failedAt = gr.restarts, gr.badness, time.Duration(gr.failedAt)
		g.escalated, g.escalatedAt = gr.escalated, time.Duration(gr.escalatedAt)
		g.lastFailure = gr.lastFailure
		g.policy = gr.policy
		g.st = reopened(gr)
		c.reopenCallsLocked(g, gr.served)
	} else {
		g.failedAt = c.pnow()
	}
	// A group whose escalation caused the site restart gets a fair start:
	// its badness is set just under the limit and Resume starts it after a
	// backoff delay, so one more failure is a group restart, not another
	// site restart at once.
	if g.escalated && !g.st.held() && g.badness > g.cfg().MaxBadness {
		fair := max(g.cfg().MaxBadness-1, 0)
		p.logf("hr: group %d caused the site restart: fair start, badness %d -> %d, started after a backoff", gid, g.badness, fair)
		g.badness, g.st.fair = fair, true
		g.persist()
	} else if !trusted {
		g.persist()
	}
	c.groups[gid] = g
	direct := 0
	for _, m := range g.members {
		c.registered++
		if m.corrupt == "" {
			c.names[m.name] = m
		}
		if m.kind == Direct {
			direct++
		}
	}
	held := ""
	if g.st.held() {
		held = fmt.Sprintf("; held by %s (resume %d restarts it)", g.holder(), gid)
	}
	p.logf("hr: group %d: members %d (direct %d), restarts %d, badness %d%s", gid, len(g.members), direct, g.restarts,
		decayed(g.badness, g.failedAt, c.pnow(), g.cfg().Interval), held)
}

// openMember reads one actor record; nil when the record was never written
// (then it is freed).
func (c *Controller) openMember(g *group, id AID, p *post) *member {
	name := actorRecordName(id)
	m := &member{id: id, g: g, name: name, kind: Kind(0xff)}
	blk, _, err := c.bank.Lookup(name)
	if err != nil {
		m.corrupt = err.Error()
		p.logf("hr: group %d: record %s: %v", g.gid, name, err)
		return m
	}
	r, payload, err := record.Load(blk, kindActor)
	m.rec = r
	switch {
	case errors.Is(err, record.ErrEmpty):
		err := c.bank.SysFree(name)
		p.logf("hr: group %d: record %s was never written (a registration was interrupted): freed%s", g.gid, name, errNote(err))
		return nil
	case err != nil:
		m.corrupt = err.Error()
	default:
		ar, err := decodeActor(payload)
		switch {
		case err != nil:
			m.corrupt = err.Error()
		case ar.id != id || ar.gid != g.gid:
			m.corrupt = fmt.Sprintf("says id %d group %d", ar.id, ar.gid)
		case c.names[ar.name] != nil || g.member(ar.name) != nil:
			m.corrupt = fmt.Sprintf("duplicate name %s", ar.name)
		default:
			c.recLease = max(c.recLease, ar.leaseEnd)
			m.name, m.program, m.args, m.kind = ar.name, ar.program, ar.args, ar.kind
			m.spawner, m.clean, m.gen = ar.spawner, ar.clean, ar.gen
			if note := r.Note(); note != "" {
				p.logf("hr: group %d: record of %s: %s", g.gid, m.name, note)
			}
			return m
		}
	}
	p.logf("hr: group %d: record %s not trusted (%s): kept as corrupt, never run; akill -g %d frees it", g.gid, name, m.corrupt, g.gid)
	return m
}

func errNote(err error) string {
	if err != nil {
		return " (" + err.Error() + ")"
	}
	return ""
}

// allClean reports whether every member has terminated cleanly (and none
// runs): the group terminates.
func (g *group) allClean() bool {
	for _, m := range g.members {
		if !m.clean || m.corrupt != "" || m.cur != nil {
			return false
		}
	}
	return true
}

// member returns the member of g named name, nil if none.
func (g *group) member(name string) *member {
	for _, m := range g.members {
		if m.name == name {
			return m
		}
	}
	return nil
}
