package actors

import (
	"fmt"
	"strconv"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/hotrestart/tamago-hr/pmm"
)

// Block names and keys of the controller's records. Every record is a
// System block of one page. A group's records (its group record and one per
// member) are tagged with the group key, the very key AllocateGroup gives
// the members' own blocks: a group kill or termination is then a single
// pmm.SysFreeAll, one atomic commit in the bank, and a group's membership is
// simply "the actor records with its key" — registering or unregistering a
// member never needs a second, separate write.
const (
	hrPrefix     = pmm.ReservedPrefix + ".hr."
	ctlName      = hrPrefix + "ctl"
	groupPrefix  = hrPrefix + "g" // + gid: group key, also the group record's name
	actorPrefix  = hrPrefix + "a" // + record id: an actor record
	recordSize   = pmm.PageSize
	aidLeaseSize = 32
)

// GroupKey returns the deletion key of group gid (the HR_GROUP_KEY analog).
func GroupKey(gid int) string { return groupPrefix + strconv.Itoa(gid) }

func actorRecordName(id AID) string { return actorPrefix + strconv.FormatUint(uint64(id), 10) }

// parseNum reads the canonical decimal suffix of s after prefix, a 32-bit
// unsigned number (kept as uint64 so that no int conversion can wrap on
// the 32-bit board).
func parseNum(s, prefix string) (uint64, bool) {
	rest, ok := strings.CutPrefix(s, prefix)
	if !ok || rest == "" || (len(rest) > 1 && rest[0] == '0') {
		return 0, false
	}
	n, err := strconv.ParseUint(rest, 10, 32)
	return n, err == nil
}

// ctlRec is the controller record: the end of the aid lease, i.e. the
// lowest aid that no boot can have handed out yet.
type ctlRec struct{ leaseEnd AID }

func (r ctlRec) encode() []byte {
	var e encoder
	e.u32(uint32(r.leaseEnd))
	return e.b
}

func decodeCtl(p []byte) (ctlRec, error) {
	d := decoder{b: p}
	r := ctlRec{leaseEnd: AID(d.u32())}
	return r, d.err
}

// groupRec is a group record: restart counter, policy state, the last
// failure (aps shows it across site restarts), the held and killed flags
// (a kill interrupted by a reset is finished at the next boot) and the end
// of the aid lease when it was written (aids never go below it, even if the
// controller record is lost). Times are on the persistent clock (run time
// summed over boots, Deps.RunTime), in ns.
type groupRec struct {
	gid         int
	killed      bool
	held        bool // the policy holds it (a repeated escalation): not resumed by Resume
	escalated   bool // it caused a site restart at escalatedAt
	badness     int
	failedAt    int64 // persistent clock of the last failure
	restarts    int
	escalatedAt int64
	leaseEnd    AID
	lastFailure string
	// heldBy, holdWhy: who holds it when held ("" policy, else the
	// service, with the reason its Context.Hold gave).
	heldByService bool
	holdWhy       string
	// policy: the group's own restart policy (arun flags, WithPolicy);
	// nil when it follows the controller's tunables.
	policy *Policy
	// served: the names its members serve calls under (Serve), so that a
	// call after a site restart knows them before they serve again
	served []string
}

// maxLastFailure bounds the last failure text kept in a group record.
const maxLastFailure = 200

func (r groupRec) encode() []byte { return r.encodeTo(nil) }

// encodeTo encodes r into buf's storage (appending from buf[:0]).
func (r groupRec) encodeTo(buf []byte) []byte {
	e := encoder{b: buf[:0:cap(buf)]}
	e.u16(uint16(r.gid))
	var flags uint8
	if r.killed {
		flags |= 1
	}
	if r.held {
		flags |= 2
	}
	if r.escalated {
		flags |= 4
	}
	if r.heldByService {
		flags |= 8
	}
	if r.policy != nil {
		flags |= 16
	}
	e.u8(flags)
	e.u32(uint32(r.badness))
	e.u64(uint64(r.failedAt))
	e.u32(uint32(r.restarts))
	e.u64(uint64(r.escalatedAt))
	e.u32(uint32(r.leaseEnd))
	e.str(truncate(r.lastFailure, maxLastFailure))
	// appended by the hold and per-group policy (issue #28): earlier
	// images stop reading before them
	e.str(truncate(r.holdWhy, maxLastFailure))
	var pol Policy
	if r.policy != nil {
		pol = *r.policy
	}
	e.u32(uint32(pol.MaxBadness))
	e.u64(uint64(pol.Interval))
	e.u64(uint64(pol.MinRunTime))
	e.u64(uint64(pol.MaxBackoff))
	e.strs(r.served)
	return e.b
}

func decodeGroup(p []byte) (groupRec, error) {
	d := decoder{b: p}
	r := groupRec{gid: int(d.u16())}
	flags := d.u8()
	r.killed, r.held, r.escalated = flags&1 != 0, flags&2 != 0, flags&4 != 0
	r.heldByService = flags&8 != 0
	r.badness = int(d.u32())
	r.failedAt = int64(d.u64())
	r.restarts = int(d.u32())
	if len(d.b) > 0 || d.err != nil { // records of earlier images end here
		r.escalatedAt = int64(d.u64())
		r.leaseEnd = AID(d.u32())
		r.lastFailure = d.str()
	}
	if len(d.b) > 0 && d.err == nil { // records of images before issue #28 end here
		r.holdWhy = d.str()
		pol := Policy{MaxBadness: int(d.u32()), Interval: time.Duration(d.u64()),
			MinRunTime: time.Duration(d.u64()), MaxBackoff: time.Duration(d.u64())}
		if flags&16 != 0 && d.err == nil {
			if err := pol.Validate(); err != nil {
				return r, err
			}
			r.policy = &pol
		}
		r.served = d.strs()
	}
	return r, d.err
}

// truncate cuts s to at most n bytes on a rune boundary, marking the cut.
func truncate(s string, n int) string {
	if len(s) <= n {
		return s
	}
	s = s[:n-len("…")]
	for !utf8.ValidString(s) { // a rune cut in two
		s = s[:len(s)-1]
	}
	return s + "…"
}

// actorRec is a restartable actor's persistent credentials: what it takes
// to run it again (the actor image analog) plus its clean flag and
// generation.
type actorRec struct {
	id       AID // the aid it was registered with; names its block
	leaseEnd AID // the aid lease's end when written: no aid issued so far reaches it
	gid      int
	kind     Kind
	clean    bool
	gen      int
	name     string
	program  string
	spawner  string
	args     []string
}

func (r *actorRec) encode() []byte { return r.encodeTo(nil) }

// encodeTo encodes r into buf's storage (appending from buf[:0]).
func (r *actorRec) encodeTo(buf []byte) []byte {
	e := encoder{b: buf[:0:cap(buf)]}
	e.u32(uint32(r.id))
	e.u16(uint16(r.gid))
	e.u8(uint8(r.kind))
	var clean uint8
	if r.clean {
		clean = 1
	}
	e.u8(clean)
	e.u32(uint32(r.gen))
	e.str(r.name)
	e.str(r.program)
	e.str(r.spawner)
	e.strs(r.args)
	e.u32(uint32(r.leaseEnd))
	return e.b
}

// Offsets in an encoded actor record of the fields patch rewrites: the
// clean flag and generation follow id (4), gid (2) and kind (1); the lease
// end is last.
const (
	actorCleanAt = 7
	actorGenAt   = 8
)

// patch rewrites in b, an encoding of a record that differs from r at most
// in its clean flag, generation and lease end, those three fields: b is
// then r.encode().
func (r *actorRec) patch(b []byte) {
	b[actorCleanAt] = 0
	if r.clean {
		b[actorCleanAt] = 1
	}
	le.PutUint32(b[actorGenAt:], uint32(r.gen))
	le.PutUint32(b[len(b)-4:], uint32(r.leaseEnd))
}

func decodeActor(p []byte) (*actorRec, error) {
	d := decoder{b: p}
	r := &actorRec{id: AID(d.u32()), gid: int(d.u16()), kind: Kind(d.u8())}
	r.clean = d.u8() == 1
	r.gen = int(d.u32())
	r.name, r.program, r.spawner = d.str(), d.str(), d.str()
	r.args = d.strs()
	if len(d.b) == 4 { // records of earlier images end before it
		r.leaseEnd = AID(d.u32())
	}
	if d.err != nil {
		return nil, d.err
	}
	if len(d.b) != 0 {
		return nil, fmt.Errorf("%d trailing bytes", len(d.b))
	}
	if r.kind != Direct && r.kind != Indirect {
		return nil, fmt.Errorf("kind %d", r.kind)
	}
	if checkName(r.name, MaxActorName) != nil || checkName(r.program, MaxProgramName) != nil {
		return nil, fmt.Errorf("bad name %q or program %q", r.name, r.program)
	}
	return r, nil
}

// checkArgs bounds a record's variable part before anything is created, so
// that a record write can never fail half-way through a registration.
func checkArgs(name, program, spawner string, args []string) error {
	n := 16 + 2 + len(name) + 2 + len(program) + 2 + len(spawner) + 2
	for _, a := range args {
		n += 2 + len(a)
	}
	if n > recMaxLength {
		return fmt.Errorf("%w: the record of %s would be %d bytes, at most %d fit", ErrTooLong, name, n, recMaxLength)
	}
	return nil
}
