package pmm

import (
	"fmt"
	"slices"
	"strings"
)

// Quarantined describes one table record that failed its checks when the
// bank was opened (a decayed or stray write: a committed operation never
// leaves one, Open redoes an interrupted one first). Its block is lost, but
// nothing else is: the slot is not reused and the pages its record claims
// are not handed to another block until the operator releases it (Release,
// or Free by the name as read).
type Quarantined struct {
	Slot int
	// Name is the block name as read from the damaged record, "" when it
	// is not a readable name; it is not verified (the checksum failed).
	Name string
	// FirstPage and Pages are the run withheld: the record's page fields
	// clipped to the data area and at the next block's first page; Pages
	// is 0 when they point nowhere in the data area.
	FirstPage, Pages int
	// Why is the check that failed, e.g. "bad checksum 0x…, computed 0x…".
	Why string
}

// String is how the boot line, `bank` and `pmm ls` name a quarantined
// record: slot 3 "kv" (pages 5..7 withheld; bad checksum …).
func (q Quarantined) String() string {
	name := "(name unreadable)"
	if q.Name != "" {
		name = fmt.Sprintf("%q", q.Name)
	}
	pages := "pages unknown, none withheld"
	if q.Pages > 0 {
		pages = fmt.Sprintf("pages %d..%d withheld", q.FirstPage, q.FirstPage+q.Pages)
	}
	return fmt.Sprintf("slot %d %s (%s; %s)", q.Slot, name, pages, q.Why)
}

// quarantined is the decoded copy's entry: what the operator sees plus the
// record's bytes as found, so Verify notices a later change.
type quarantined struct {
	Quarantined
	raw []byte
}

// quarantine reads what it can of a record that failed decodeRecord: the
// name when its length and bytes are plausible, the page run clipped to the
// data area.
func quarantine(i int, r []byte, l layout, why string) quarantined {
	q := quarantined{Quarantined: Quarantined{Slot: i, Why: why}, raw: slices.Clone(r)}
	if nl := int(r[rNameLen]); nl >= 1 && nl <= MaxNameLen && printable(string(r[rName:rName+nl]), MaxNameLen) {
		q.Name = string(r[rName : rName+nl])
	}
	first, pages := uint64(le.Uint32(r[rFirst:])), uint64(le.Uint32(r[rPages:]))
	if pages >= 1 && first >= uint64(l.metaPages) && first < uint64(l.pages) {
		q.FirstPage, q.Pages = int(first), int(min(first+pages, uint64(l.pages))-first)
	}
	return q
}

// clipQuarantine ends each withheld run where the next valid block starts:
// blocks never overlap, so the damaged block's real run ended there at the
// latest, and a damaged page count cannot withhold the rest of the bank.
// b.order must be sorted.
func (b *Bank) clipQuarantine() {
	for k := range b.quar {
		q := &b.quar[k]
		if q.Pages == 0 {
			continue
		}
		end := q.FirstPage + q.Pages
		if i := b.pos(q.FirstPage + 1); i < len(b.order) && b.slots[b.order[i]].first < end {
			end = b.slots[b.order[i]].first
		}
		q.Pages = end - q.FirstPage
	}
}

// Quarantined lists the records quarantined when the bank was opened and
// not released since, by slot.
func (b *Bank) Quarantined() []Quarantined {
	b.mu.Lock()
	defer b.mu.Unlock()
	out := make([]Quarantined, len(b.quar))
	for k, q := range b.quar {
		out[k] = q.Quarantined
	}
	return out
}

// Release frees a quarantined slot and the pages it withheld (the
// operator's `pmm release`): the record is blanked in one atomic step like
// a free. A slot that is not quarantined is ErrNotFound.
func (b *Bank) Release(slot int) error {
	b.mu.Lock()
	defer b.mu.Unlock()
	if !slices.ContainsFunc(b.quar, func(q quarantined) bool { return q.Slot == slot }) {
		return fmt.Errorf("%w: slot %d is not quarantined", ErrNotFound, slot)
	}
	b.freeSlots([]int{slot})
	return nil
}

// releaseName releases the first quarantined record whose name reads name
// (Free's fallback when no block has that name); a reserved name only for
// privileged callers.
func (b *Bank) releaseName(name string, user bool) bool {
	for _, q := range b.quar {
		if q.Name == name && !(user && reserved(name)) {
			b.freeSlots([]int{q.Slot})
			return true
		}
	}
	return false
}

// forget drops released slots from the quarantine and makes them free.
func (b *Bank) forget(idx []int) {
	b.quar = slices.DeleteFunc(b.quar, func(q quarantined) bool {
		if slices.Contains(idx, q.Slot) {
			b.free = append(b.free, q.Slot)
			return true
		}
		return false
	})
}

// heldRuns is every run of pages no new block may take, sorted by first
// page: the blocks' and the quarantined records'. Runs may overlap (a
// damaged record's page fields may point into a valid block).
func (b *Bank) heldRuns() [][2]int {
	runs := make([][2]int, 0, len(b.order)+len(b.quar))
	for _, i := range b.order {
		runs = append(runs, [2]int{b.slots[i].first, b.slots[i].pages})
	}
	for _, q := range b.quar {
		if q.Pages > 0 {
			runs = append(runs, [2]int{q.FirstPage, q.Pages})
		}
	}
	slices.SortFunc(runs, func(x, y [2]int) int { return x[0] - y[0] })
	return runs
}

// lostPages counts the pages withheld by quarantined records and by no
// block.
func (b *Bank) lostPages() int {
	if len(b.quar) == 0 {
		return 0
	}
	held, cur := 0, b.lay.metaPages
	for _, r := range b.heldRuns() {
		lo, hi := max(r[0], cur), r[0]+r[1]
		if hi > lo {
			held += hi - lo
			cur = hi
		}
	}
	return held - b.used
}

// quarantineNote is the warm report's account of the quarantine.
func (b *Bank) quarantineNote() string {
	if len(b.quar) == 0 {
		return ""
	}
	s := make([]string, len(b.quar))
	for k, q := range b.quar {
		s[k] = q.String()
	}
	return fmt.Sprintf("%d damaged records quarantined: %s", len(b.quar), strings.Join(s, "; "))
}
