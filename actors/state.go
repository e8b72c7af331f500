package actors

import (
	"encoding/binary"
	"errors"
	"fmt"
	"slices"
	"strings"
	"sync"

	"github.com/hotrestart/tamago-hr/pmm"
	"github.com/hotrestart/tamago-hr/pmm/record"
)

// Typed persistent state: a value of a fixed-size, pointer-free Go type in a
// group block, kept as a pmm/record so that a commit cut by a reset leaves
// the previous value or the new one, never a mix. Raw blocks (Allocate,
// AllocateGroup) stay for bulk data, which a service updates in place.
//
// The block's payload is the state header, the writer's layout, then the
// value, little-endian (record version 2):
//
//	offset  size  field
//	0       4     fingerprint of T's layout (CRC-32C of type and field names,
//	              kinds and array lengths, in order)
//	4       4     size of the encoded value in bytes (binary.Size of T)
//	8       2     n, size of the layout descriptor
//	10      n     the layout descriptor (statedesc.go): field names, kinds,
//	              array lengths, nesting; what a later type migrates from
//	10+n    size  the value, as encoding/binary writes it (no padding)
//
// Record version 1 (images before state migration) has no descriptor: the
// value follows the first 8 bytes. It is read when the fingerprint is T's,
// and the next Commit writes version 2.
//
// One record magic ("RHS1") marks typed state, so a raw block or another
// record is told apart from state of another type, and the fingerprint in
// the payload (rather than in the magic) lets Load say which it is: "holds
// state of another type" instead of "no valid copy".
var kindState = record.Kind{Name: "state", Magic: record.Magic("RHS1"), Version: 2}

const (
	stateHeaderV1 = 8
	stateHeader   = 10 // before the descriptor
)

// Errors of typed persistent state.
var (
	// ErrStateType: the type given to Load cannot be kept in the bank (a
	// pointer, slice, string, map, channel, function or interface in it; a
	// machine-sized int, uint or uintptr; an unexported field; too large).
	ErrStateType = errors.New("actors: type cannot be persistent state")
	// ErrStateMismatch: the block holds state of another type (another
	// type name, field, field type or order, or size).
	ErrStateMismatch = errors.New("actors: state of another type")
	// ErrStateCorrupt: the block holds no valid state (both copies
	// damaged, a raw block, or a record format this image cannot read).
	// Nothing is decoded; FreeGroup(name) starts the state again from zero.
	ErrStateCorrupt = errors.New("actors: no valid state")
)

// Persistent is a value of type T kept in a group block of the persistent
// memory bank. Get returns the last committed value; Commit stores a new
// one crash-safely. Every member of the group that loads the same name gets
// the same Persistent (until the block is freed), so one member may read
// what another commits; it is safe for concurrent use. Give a state one
// writer: two members that each Get, change and Commit it overwrite each
// other's updates (the last Commit wins).
//
// What survives what (the block's lifetime, see "Persistent blocks" in the
// package documentation):
//
//	group restart, failure of any member           kept
//	site restart (`restart`), hot or warm reboot   kept
//	clean termination of the whole group           freed (with the group key)
//	`akill -g GID`                                 freed
//	cold reboot, power cycle                       lost (the bank starts blank)
//	`pmm free`, `pmm freeall` from the console     refused while the group exists
//
// A reset in the middle of Commit leaves the previous value; a reset after
// Commit returned leaves the new one.
type Persistent[T any] struct {
	stateHead
	mu   sync.Mutex
	rec  *record.Record
	buf  []byte // header + encoded value: Commit's only buffer
	voff int    // where the value starts in buf
	v    T      // the last committed (or loaded) value
	next T      // Commit encodes from here: a pointer into s, not a new box
}

// stateHead is the untyped part of a Persistent, which the controller
// keeps in its table of loaded states.
type stateHead struct {
	c    *Controller // nil in package tests that work on a bare block
	name string      // the bank block's name
	typ  stateType
	gone bool // guarded by c.mu: the block was freed
}

type stater interface{ head() *stateHead }

func (h *stateHead) head() *stateHead { return h }

// Load returns the state name of the calling actor's group, of type T: the
// value last committed, or T's zero value in a new block. The block is the
// group block name (AllocateGroup: "<name>@<gid>" in the bank, freed with
// the group), because state is what a group's members restart from; an
// ordinary actor has no group and gets ErrNotRestartable. Within a boot,
// every Load of the same name in the group returns the same Persistent.
//
// T must be fixed-size and pointer-free (ErrStateType says what is wrong
// with it). A block written by another layout of the state (the type of an
// earlier or later version) is migrated by field name and the result
// committed ("Changing a state's type" in the package documentation); one
// that cannot be is ErrStateMismatch, naming the field, and one with no
// valid copy ErrStateCorrupt; neither is ever decoded or written. The block
// takes one page (4 KiB) for a value and its layout up to about 2 KiB,
// more pages above (at most 65525 bytes with the layout).
func Load[T any](ctx *Context, name string) (*Persistent[T], error) {
	st, err := stateTypeOf[T]()
	if err != nil {
		return nil, err
	}
	full, err := ctx.groupBlock(name)
	if err != nil {
		return nil, err
	}
	if d, ok := ctx.c.progs.declared(ctx.program, name); ok && (d.fp != st.fp || d.size != st.size) {
		return nil, fmt.Errorf("%w: state %s: program %s declared it as %s (%s), Load asks for %s (%s)",
			ErrStateMismatch, full, ctx.program, d.name, d, st.name, st)
	}
	blk, err := ctx.AllocateGroup(name, record.BlockSize(st.header()+st.size))
	if errors.Is(err, pmm.ErrSizeMismatch) { // a smaller block of an earlier layout: openState says whether it fits
		blk, err = ctx.AllocateGroup(name, 1)
	}
	if err != nil {
		return nil, err
	}
	c := ctx.c
	c.mu.Lock()
	s, note, err := loadLocked[T](c, blk, full, st)
	c.noteStateLocked(ctx.m.g.gid, full, err)
	c.mu.Unlock()
	if note != "" {
		c.logf("hr: state %s: %s", full, note)
	}
	return s, err
}

// stateErr is a failed Load: the block's name and the error.
type stateErr struct{ name, text string }

// noteStateLocked keeps the group's last failed Load (GroupInfo.StateError:
// an upgrade's trial fails on it), and forgets it when a Load of the same
// block works.
func (c *Controller) noteStateLocked(gid int, name string, err error) {
	switch {
	case err != nil:
		if c.stateErrs == nil {
			c.stateErrs = make(map[int]stateErr)
		}
		c.stateErrs[gid] = stateErr{name, err.Error()}
	case c.stateErrs[gid].name == name:
		delete(c.stateErrs, gid)
	}
}

// loadLocked returns the state already loaded under name, or reads it.
func loadLocked[T any](c *Controller, blk []byte, name string, st stateType) (*Persistent[T], string, error) {
	if h, ok := c.states[name]; ok {
		if s, ok := h.(*Persistent[T]); ok {
			return s, "", nil
		}
		return nil, "", mismatch(name, h.head().typ, st)
	}
	s, note, err := openState[T](blk, name, st, c.progs)
	if err != nil {
		return nil, "", err
	}
	s.c = c
	if c.states == nil {
		c.states = make(map[string]stater)
	}
	c.states[name] = s
	return s, note, nil
}

// forgetStatesLocked drops the loaded states whose blocks the bank no
// longer holds (after every free), so that their Commit is refused and a
// later Load reads the new block.
func (c *Controller) forgetStatesLocked() {
	for name, h := range c.states {
		if _, _, err := c.bank.Lookup(name); err != nil {
			h.head().gone = true
			delete(c.states, name)
		}
	}
	for gid, e := range c.stateErrs { // its group ended with its blocks
		if _, _, err := c.bank.Lookup(e.name); err != nil {
			delete(c.stateErrs, gid)
		}
	}
}

func mismatch(name string, was, want stateType) error {
	return fmt.Errorf("%w: state %s holds state of another type (%s), not %s (%s)",
		ErrStateMismatch, name, was, want.name, want)
}

// openState reads the state in blk (the whole block: the record's two
// copies sit at its start and its middle, whatever T's size, so a block
// reused for another type still decodes far enough to say so). A value
// written with another layout is migrated (migrate.go) and the result
// committed before openState returns: the old value stays in the other
// copy until that write lands. note is what the caller logs: a migration,
// or what record.Load found damaged besides the copy it used.
func openState[T any](blk []byte, name string, st stateType, migs *Programs) (s *Persistent[T], note string, err error) {
	k := kindState
	k.Name = "state " + name
	rec, p, err := record.Load(blk, k)
	s = &Persistent[T]{stateHead: stateHead{name: name, typ: st}, rec: rec, voff: st.header()}
	s.buf = make([]byte, s.voff+st.size)
	le.PutUint32(s.buf[0:], st.fp)
	le.PutUint32(s.buf[4:], uint32(st.size))
	le.PutUint16(s.buf[8:], uint16(len(st.descB)))
	copy(s.buf[stateHeader:], st.descB)
	switch {
	case errors.Is(err, record.ErrEmpty):
		return s, "", s.fits()
	case errors.Is(err, record.ErrInvalid) && cutFirstCommit(blk, s.buf[:s.voff], st.size):
		return s, fmt.Sprintf("a first commit was cut short (%v): starting from the zero value", err), s.fits()
	case errors.Is(err, record.ErrVersion):
		return openV1(s, blk, name, st)
	case err != nil:
		return nil, "", fmt.Errorf("%w: %w", ErrStateCorrupt, err)
	case len(p) < stateHeader:
		return nil, "", fmt.Errorf("%w: %s: %d bytes, shorter than the state header", ErrStateCorrupt, k.Name, len(p))
	}
	fp, n, dl := le.Uint32(p), int(le.Uint32(p[4:])), int(le.Uint16(p[8:]))
	if len(p) != stateHeader+dl+n {
		return nil, "", fmt.Errorf("%w: %s: %d bytes, the header says %d", ErrStateCorrupt, k.Name, len(p), stateHeader+dl+n)
	}
	val := p[stateHeader+dl:]
	if fp == st.fp && n == st.size {
		if _, err := binary.Decode(val, le, &s.v); err != nil {
			return nil, "", fmt.Errorf("%w: %s: %w", ErrStateCorrupt, k.Name, err)
		}
		return s, rec.Note(), s.fits()
	}
	from, err := parseDesc(p[stateHeader : stateHeader+dl])
	if err == nil && from.size != n {
		err = fmt.Errorf("%w: describes %d bytes, the value is %d", errDesc, from.size, n)
	}
	if err != nil {
		return nil, "", fmt.Errorf("%w: %s: %w", ErrStateCorrupt, k.Name, err)
	}
	if err := s.fits(); err != nil {
		return nil, "", err
	}
	val, from, ran, err := migs.applyExplicit(val, from, st.desc)
	m := &migration{}
	if err == nil && sameLayout(from, st.desc) {
		copy(s.buf[s.voff:], val)
	} else if err == nil {
		m, err = migrateValue(s.buf[s.voff:], st.desc, val, from)
	}
	if err != nil {
		return nil, "", fmt.Errorf("%w: state %s (%s) cannot become %s (%s): %w",
			ErrStateMismatch, name, stateType{fp: fp, size: n}, st.name, st, err)
	}
	if _, err := binary.Decode(s.buf[s.voff:], le, &s.v); err != nil {
		return nil, "", fmt.Errorf("%w: %s: %w", ErrStateCorrupt, k.Name, err)
	}
	if err := s.rec.Write(s.buf); err != nil {
		return nil, "", fmt.Errorf("state %s: committing the migrated value: %w", name, err)
	}
	note = fmt.Sprintf("migrated from %s to %s (%s)", stateType{fp: fp, size: n}, st.name, st)
	if len(ran) > 0 {
		note += " by " + strings.Join(ran, ", ")
	}
	if d := m.note(); d != "" {
		note += ": " + d
	}
	return s, note, nil
}

// openV1 reads a version 1 record (no descriptor): only T's own state, by
// its fingerprint. The next Commit writes version 2 where the block holds
// it, else version 1 again.
func openV1[T any](s *Persistent[T], blk []byte, name string, st stateType) (*Persistent[T], string, error) {
	k := kindState
	k.Name, k.Version = "state "+name, 1
	rec, p, err := record.Load(blk, k)
	switch {
	case err != nil:
		return nil, "", fmt.Errorf("%w: %w", ErrStateCorrupt, err)
	case len(p) < stateHeaderV1:
		return nil, "", fmt.Errorf("%w: %s: %d bytes, shorter than the state header", ErrStateCorrupt, k.Name, len(p))
	}
	if fp, n := le.Uint32(p), le.Uint32(p[4:]); fp != st.fp || int(n) != st.size || len(p) != stateHeaderV1+st.size {
		return nil, "", mismatch(name, stateType{fp: fp, size: int(n)}, st)
	}
	if _, err := binary.Decode(p[stateHeaderV1:], le, &s.v); err != nil {
		return nil, "", fmt.Errorf("%w: %s: %w", ErrStateCorrupt, k.Name, err)
	}
	if s.fits() != nil { // a block sized for version 1 keeps it
		s.rec, s.voff, s.buf = rec, stateHeaderV1, s.buf[:stateHeaderV1+st.size]
		copy(s.buf[:stateHeaderV1], p)
		return s, rec.Note(), nil
	}
	s.rec = record.New(blk, kindState) // finds the newest copy, whose seq the next Write outranks
	return s, rec.Note(), nil
}

// fits says whether the block holds this type's payloads: a block that
// another layout's smaller value filled may be too small for T (the bank
// does not grow blocks); nothing is written then.
func (s *Persistent[T]) fits() error {
	if c := s.rec.Cap(); len(s.buf) > c {
		return fmt.Errorf("%w: state %s: %s takes %d bytes with its header, the block holds %d (the bank does not grow a block)",
			ErrStateMismatch, s.name, s.typ.name, len(s.buf), c)
	}
	return nil
}

// Get returns the last committed value (T's zero value before the first
// Commit of a new block).
func (s *Persistent[T]) Get() T {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.v
}

// Commit stores v as the state: written to the record copy that does not
// hold the current value, then fenced (pmm/record), so a reset at any point
// before Commit returns leaves the previous value and one after leaves v.
// It allocates nothing for a T of plain fields (encoding/binary's reflect
// path may allocate a few bytes for arrays of structs). Commit is refused
// with pmm.ErrNotFound once the block is freed (its group terminated or
// was killed: a goroutine left behind), so nothing writes into freed pages.
func (s *Persistent[T]) Commit(v T) error {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.next = v
	if _, err := binary.Encode(s.buf[s.voff:], le, &s.next); err != nil {
		return fmt.Errorf("%s: %w", s.rec.Kind().Name, err)
	}
	if s.c != nil {
		s.c.mu.Lock()
		defer s.c.mu.Unlock()
		if s.gone {
			return fmt.Errorf("%w: state %s: the block was freed (its group ended)", pmm.ErrNotFound, s.name)
		}
	}
	if err := s.rec.Write(s.buf); err != nil {
		return err
	}
	s.v = v
	return nil
}

// cutFirstCommit reports whether blk can be a new block with the first
// Commit of payloads like buf cut by a reset: the value before that
// Commit was the zero value. A first write goes to copy A (pmm/record) with
// sequence number 1; each of its header and state header bytes has landed
// or is still zero, and nothing beyond what it writes is set. Anything else
// (a raw block's data) is not taken for a cut.
func cutFirstCommit(blk, head []byte, size int) bool {
	hdr := make([]byte, 12, 12+len(head))
	le.PutUint32(hdr[0:], kindState.Magic)
	le.PutUint16(hdr[4:], kindState.Version)
	le.PutUint16(hdr[6:], uint16(len(head)+size))
	le.PutUint32(hdr[8:], 1)
	hdr = append(hdr, head...)
	if len(blk) < record.Overhead+len(hdr)+size {
		return false
	}
	for i, b := range hdr {
		if blk[i] != 0 && blk[i] != b {
			return false
		}
	}
	return !slices.ContainsFunc(blk[record.Overhead+len(hdr)-12+size:], func(b byte) bool { return b != 0 })
}

// String describes the type for messages: "layout 2c572047, 25 bytes".
func (t stateType) String() string { return fmt.Sprintf("layout %08x, %d bytes", t.fp, t.size) }

// Name is the bank name of the state's block ("<name>@<gid>").
func (s *Persistent[T]) Name() string { return s.name }

// LoadBlock is Load on a block the caller gives, outside any controller:
// for host tests of a state's migrations (package actors/statetest) and
// tools that read a bank image. name is the bank name, for messages. note
// is what Load would log ("" if nothing): a migration and what it dropped
// and added. Errors as Load's.
func LoadBlock[T any](blk []byte, name string) (s *Persistent[T], note string, err error) {
	st, err := stateTypeOf[T]()
	if err != nil {
		return nil, "", err
	}
	return openState[T](blk, name, st, nil)
}

// LoadBlockWith is LoadBlock with the explicit migrations registered in p
// (RegisterMigration), as Load applies them for the programs of an image.
func LoadBlockWith[T any](blk []byte, name string, p *Programs) (s *Persistent[T], note string, err error) {
	st, err := stateTypeOf[T]()
	if err != nil {
		return nil, "", err
	}
	return openState[T](blk, name, st, p)
}

// BlockSize is the bytes Load allocates for a state of type T (whole
// pages in the bank), or an error when T cannot be state.
func BlockSize[T any]() (int, error) {
	st, err := stateTypeOf[T]()
	if err != nil {
		return 0, err
	}
	n := record.BlockSize(st.header() + st.size)
	return (n + pmm.PageSize - 1) / pmm.PageSize * pmm.PageSize, nil
}
