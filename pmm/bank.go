package pmm

import (
	"fmt"
	"math/bits"
	"slices"
	"strings"
	"sync"
)

// Bank is an opened bank. The metadata in the region is the truth across
// resets; the Bank keeps a decoded copy (slots, a name index, the blocks in
// page order) so that lookups never parse the region. Safe for concurrent use.
type Bank struct {
	mu     sync.Mutex
	mem    []byte
	g      Geometry
	lay    layout
	st     storer
	slots  []slot         // by slot index; len == MaxBlocks
	byName map[string]int // name -> slot index
	order  []int          // used slot indices sorted by first page
	free   []int          // free slot indices; the lowest is last (popped first)
	used   int            // data pages in blocks
	quar   []quarantined  // damaged records found by Open, by slot
}

// Open validates mem as a bank of geometry g. Valid -> warm, blocks kept.
// Blank or invalid -> initialise cold (format mem's metadata; data pages are
// not touched) and say why in the report. A geometry recorded in the bank
// different from g -> exactly what differs in Reason, then cold. An operation
// interrupted by a reset is completed (redone) first and noted in Reason.
// Never panics on any content of mem. len(mem) must equal g.Size, else error.
func Open(mem []byte, g Geometry) (*Bank, OpenReport, error) {
	return OpenWithBarrier(mem, g, nil)
}

// OpenWithBarrier is Open with the memory barrier the bank's stores must be
// ordered by (e.g. a DSB on the board); nil uses a sync/atomic operation.
func OpenWithBarrier(mem []byte, g Geometry, barrier func()) (*Bank, OpenReport, error) {
	return open(mem, g, &memStorer{mem: mem, barrier: barrier})
}

func open(mem []byte, g Geometry, st storer) (*Bank, OpenReport, error) {
	if err := g.Validate(); err != nil {
		return nil, OpenReport{}, err
	}
	if len(mem) != g.Size {
		return nil, OpenReport{}, fmt.Errorf("%w: region is %#x bytes, geometry says %#x", ErrGeometry, len(mem), g.Size)
	}
	b := &Bank{mem: mem, g: g, lay: layoutOf(g), st: st}
	note, why := b.load()
	if why == "" {
		r := fmt.Sprintf("valid, %d blocks", len(b.order))
		for _, n := range []string{note, b.quarantineNote()} {
			if n != "" {
				r += "; " + n
			}
		}
		return b, OpenReport{Warm: true, Reason: r}, nil
	}
	b.reset()
	b.initMeta(true)
	return b, OpenReport{Reason: why}, nil
}

// reset empties the decoded copy.
func (b *Bank) reset() {
	n := b.lay.maxBlocks
	b.slots = make([]slot, n)
	b.byName = make(map[string]int, n)
	b.order = b.order[:0]
	b.free = make([]int, n)
	for i := range b.free {
		b.free[i] = n - 1 - i
	}
	b.used = 0
	b.quar = nil
}

// load validates the region and decodes it. It returns a note for the warm
// report, or why the bank must be initialised cold. It stores only to finish
// an interrupted operation.
func (b *Bank) load() (note, why string) {
	l := b.lay
	var repaired string
	if why := checkHeader(b.mem[:headerSize], l); why != "" {
		// One bit away from this geometry's header is that header with a
		// bit flipped: any other valid header is at least three bits away
		// (its geometry and its CRC differ), so one flip never makes
		// another geometry's bank look like this one.
		want := encodeHeader(l)
		if bitsApart(b.mem[:headerSize], want) != 1 {
			return "", why
		}
		b.st.store(0, want)
		b.st.fence()
		repaired = "header repaired (" + why + ", one bit from this geometry's)"
	}
	defer func() {
		if why == "" && repaired != "" {
			note = strings.TrimSuffix(repaired+"; "+note, "; ")
		}
	}()
	j := b.mem[journalOff : journalOff+l.journalLen]
	switch state := le.Uint32(j[jState:]); state {
	case 0:
	case jCommitted:
		op, why := decodeJournal(j, l)
		if why != "" {
			return "", "interrupted operation's journal corrupt: " + why
		}
		b.apply(op)
		b.storeState(0)
		if op.kind == opAlloc {
			note = fmt.Sprintf("completed interrupted allocate (slot %d)", op.slots[0])
		} else {
			note = fmt.Sprintf("completed interrupted free of %d blocks", len(op.slots))
		}
	default:
		b.storeState(0)
		note = fmt.Sprintf("cleared torn journal marker %#08x", state)
	}
	b.slots = make([]slot, l.maxBlocks)
	b.byName = make(map[string]int, l.maxBlocks)
	b.order = make([]int, 0, l.maxBlocks)
	b.free = make([]int, 0, l.maxBlocks)
	b.quar = nil
	for i := l.maxBlocks - 1; i >= 0; i-- {
		off := l.slotOff(i)
		s, why := decodeRecord(b.mem[off:off+recordSize], l)
		if why != "" {
			// One damaged record costs its own block, not the bank's.
			b.quar = append(b.quar, quarantine(i, b.mem[off:off+recordSize], l, why))
			continue
		}
		if !s.used {
			b.free = append(b.free, i)
			continue
		}
		if o, dup := b.byName[s.name]; dup {
			return "", fmt.Sprintf("slot %d: name %q already in slot %d", i, s.name, o)
		}
		b.slots[i] = s
		b.byName[s.name] = i
		b.order = append(b.order, i)
		b.used += s.pages
	}
	slices.Reverse(b.quar)
	slices.SortFunc(b.order, func(x, y int) int { return b.slots[x].first - b.slots[y].first })
	for k := 1; k < len(b.order); k++ {
		p, c := &b.slots[b.order[k-1]], &b.slots[b.order[k]]
		if p.first+p.pages > c.first {
			return "", fmt.Sprintf("slot %d (%q, pages %d..%d) overlaps slot %d (%q, pages %d..%d)",
				b.order[k], c.name, c.first, c.first+c.pages, b.order[k-1], p.name, p.first, p.first+p.pages)
		}
	}
	b.clipQuarantine()
	return note, ""
}

// initMeta writes empty metadata. When cold, the header is invalidated first
// and rewritten last, so a reset in between leaves a bank that opens cold
// again rather than one with some old slots still valid. From Format (all
// slots already free in the table) every store rewrites a valid value, so
// there is nothing to order.
func (b *Bank) initMeta(cold bool) {
	l := b.lay
	if cold {
		b.st.store(hMagic, []byte{0, 0, 0, 0})
		b.st.fence()
	}
	storeIfDiffers(b.st, b.mem, journalOff, make([]byte, l.journalLen))
	for i := range l.maxBlocks {
		storeIfDiffers(b.st, b.mem, l.slotOff(i), zeroRecord)
	}
	b.st.fence()
	storeIfDiffers(b.st, b.mem, 0, encodeHeader(l))
	b.st.fence()
}

// block returns slot i's memory, capped so it cannot be extended.
func (b *Bank) block(i int) []byte {
	s := &b.slots[i]
	lo, hi := s.first*PageSize, (s.first+s.pages)*PageSize
	return b.mem[lo:hi:hi]
}

// bitsApart counts the bits in which a and b (of equal length) differ.
func bitsApart(a, b []byte) int {
	n := 0
	for i := range a {
		n += bits.OnesCount8(a[i] ^ b[i])
	}
	return n
}
