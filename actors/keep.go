package actors

import (
	"bytes"
	"errors"
	"fmt"
	"strings"

	"github.com/hotrestart/tamago-hr/pmm"
	"github.com/hotrestart/tamago-hr/pmm/record"
)

// Keeping states for an upgrade's rollback. Before the switch the kernel
// reserves a copy of every typed state block (ReserveKept: refused, with
// nothing kept, when the bank cannot hold them), fills the copies once the
// old version's actors have stopped (FillKept), and frees them when the
// upgrade commits (DropKept). A rollback (RestoreKept) gives the previous
// version its own state: the value the trial left, which its Load converts
// back by name, when every field of the old layout is in the new one with a
// kind that holds it and the value converts back now; otherwise the value
// kept from before the upgrade, written as the next record version.

// KeptKey tags the kept copies (system blocks "__SYS.hk.<state block>").
const KeptKey = pmm.ReservedPrefix + ".hk"

const keptPrefix = KeptKey + "."

// isStateBlock reports whether blk holds typed state (either record copy
// has the state magic).
func isStateBlock(blk []byte) bool {
	return len(blk) >= record.BlockSize(0) &&
		(le.Uint32(blk) == kindState.Magic || le.Uint32(blk[len(blk)/2:]) == kindState.Magic)
}

// ReserveKept allocates a copy for every typed state block of the bank
// (leftovers of an earlier upgrade are freed first) and returns their
// names. On error nothing stays allocated: the upgrade is refused.
func ReserveKept(b *pmm.Bank) ([]string, error) {
	if _, err := DropKept(b); err != nil {
		return nil, err
	}
	var names []string
	for _, bi := range b.Blocks() {
		if bi.Owner != pmm.User {
			continue
		}
		blk, _, err := b.Lookup(bi.Name)
		if err != nil || !isStateBlock(blk) {
			continue
		}
		err = nil
		kname := keptPrefix + bi.Name
		if len(kname) > pmm.MaxNameLen {
			err = fmt.Errorf("its name is too long for the copy's %s", kname)
		} else if _, err = b.AllocateAs(pmm.System, kname, len(blk), KeptKey); err != nil {
			err = fmt.Errorf("%d pages: %w", bi.Pages, err)
		}
		if err != nil {
			_, _ = DropKept(b)
			return nil, fmt.Errorf("state %s cannot be kept for a rollback: %w", bi.Name, err)
		}
		names = append(names, bi.Name)
	}
	return names, nil
}

// FillKept copies every state block into its reserved copy; called once
// the actors have stopped, so the copies hold the last committed values.
func FillKept(b *pmm.Bank) {
	for _, bi := range b.Blocks() {
		name, ok := strings.CutPrefix(bi.Name, keptPrefix)
		if !ok || bi.Key != KeptKey {
			continue
		}
		kb, _, err1 := b.Lookup(bi.Name)
		live, _, err2 := b.Lookup(name)
		if err1 == nil && err2 == nil && len(kb) == len(live) {
			copy(kb, live)
		}
	}
}

// DropKept frees the kept copies (the upgrade committed, or none runs).
func DropKept(b *pmm.Bank) (int, error) { return b.SysFreeAll(KeptKey) }

// loadAnyState loads a state record of either format version.
func loadAnyState(blk []byte) (*record.Record, []byte, uint16, error) {
	k := kindState
	rec, p, err := record.Load(blk, k)
	if errors.Is(err, record.ErrVersion) {
		k.Version = 1
		rec, p, err = record.Load(blk, k)
	}
	return rec, p, k.Version, err
}

// RestoreKept is a rollback's: for every kept state it decides what the
// previous version gets (see above), writes the kept value where that is
// it, frees the copies and returns one line per state ("ODO@1: converted
// back by name, 12 commits of the trial kept").
func RestoreKept(b *pmm.Bank) []string {
	var lines []string
	for _, bi := range b.Blocks() {
		name, ok := strings.CutPrefix(bi.Name, keptPrefix)
		if !ok || bi.Key != KeptKey {
			continue
		}
		kb, _, _ := b.Lookup(bi.Name)
		lines = append(lines, name+": "+restoreOne(b, name, kb))
	}
	_, _ = DropKept(b)
	return lines
}

func restoreOne(b *pmm.Bank, name string, kb []byte) string {
	krec, kp, kver, err := loadAnyState(kb)
	if err != nil {
		return fmt.Sprintf("no value kept (%v): left as the trial left it", err)
	}
	live, _, err := b.Lookup(name)
	if err != nil || len(live) != len(kb) {
		return "gone during the trial"
	}
	rec, lp, lver, err := loadAnyState(live)
	commits := uint32(0)
	if err == nil && rec.Seq() < krec.Seq() {
		// older than the kept copy: the trial lost the state (damaged,
		// quarantined) and its service started it again from zero
		err = fmt.Errorf("the state started again from scratch: %d commits, the copy had %d", rec.Seq(), krec.Seq())
	}
	if err == nil {
		commits = rec.Seq() - krec.Seq()
	}
	switch {
	case err == nil && lver == kver && bytes.Equal(lp, kp):
		return "unchanged"
	case err == nil && convertsBack(kp, kver, lp, lver):
		return fmt.Sprintf("converted back by name, %d commits of the trial kept", commits)
	}
	k := kindState
	k.Version = kver
	if werr := record.New(live, k).Write(kp); werr != nil {
		return fmt.Sprintf("the value from before the upgrade could not be restored: %v", werr)
	}
	if err != nil {
		return fmt.Sprintf("restored the value from before the upgrade (the trial left %v)", err)
	}
	return fmt.Sprintf("restored the value from before the upgrade, %d commits of the trial dropped", commits)
}

// statePayload splits a version 2 payload into its layout and value.
func statePayload(p []byte) (*tdesc, []byte, uint32, bool) {
	if len(p) < stateHeader {
		return nil, nil, 0, false
	}
	fp, n, dl := le.Uint32(p), int(le.Uint32(p[4:])), int(le.Uint16(p[8:]))
	if len(p) != stateHeader+dl+n {
		return nil, nil, 0, false
	}
	d, err := parseDesc(p[stateHeader : stateHeader+dl])
	if err != nil || d.size != n {
		return nil, nil, 0, false
	}
	return d, p[stateHeader+dl:], fp, true
}

// convertsBack reports whether the live value (lp) gives the previous
// version its own fields back: both payloads carry their layouts, every
// field of the kept layout has a field in the live one whose kind holds it
// (nothing dropped, shortened or narrowed by the upgrade), and the live
// value converts to the kept layout now.
func convertsBack(kp []byte, kver uint16, lp []byte, lver uint16) bool {
	if kver != kindState.Version || lver != kindState.Version {
		return false
	}
	old, _, ofp, ok1 := statePayload(kp)
	cur, val, cfp, ok2 := statePayload(lp)
	if !ok1 || !ok2 {
		return false
	}
	if ofp == cfp {
		return true // the trial did not change the type
	}
	if !holds(cur, old) {
		return false
	}
	_, err := migrateValue(make([]byte, old.size), old, val, cur)
	return err == nil
}

// holds reports whether layout to keeps every value of layout from, by
// the migration's rules: every field present (by name or tag), arrays no
// shorter, numbers of the same class and no narrower (a signed integer
// only in a signed one, an unsigned one in a wider signed one too).
func holds(to, from *tdesc) bool {
	if to.kind.class() != from.kind.class() {
		return false
	}
	switch from.kind {
	case kStruct:
		for _, f := range from.fields {
			if f.name == "_" {
				continue
			}
			i := fieldFor(to, f)
			if i < 0 || !holds(to.fields[i].t, f.t) {
				return false
			}
		}
		return true
	case kArray:
		return to.n >= from.n && holds(to.elem, from.elem)
	case kBool:
		return true
	}
	switch {
	case isSigned(from.kind) && !isSigned(to.kind) && from.kind.class() == 1:
		return false
	case !isSigned(from.kind) && isSigned(to.kind) && from.kind.class() == 1:
		return to.size > from.size
	}
	return to.size >= from.size
}
