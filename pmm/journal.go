package pmm

import "fmt"

// jop is one table update: either fill one slot with a record (allocate) or
// blank a set of slots (free, free-all, format). Writing it to the journal
// before touching the table makes it all-or-nothing.
type jop struct {
	kind  uint32
	slots []int  // alloc: exactly one
	rec   []byte // alloc: the record to write
}

var zeroRecord = make([]byte, recordSize)

func (op *jop) encode() []byte {
	n := jHdrSize + 4*len(op.slots) + len(op.rec)
	j := make([]byte, n)
	le.PutUint32(j[jOp:], op.kind)
	le.PutUint32(j[jCount:], uint32(len(op.slots)))
	p := j[jPayload:]
	for i, s := range op.slots {
		le.PutUint32(p[4*i:], uint32(s))
	}
	copy(p[4*len(op.slots):], op.rec)
	le.PutUint32(j[jCRC:], crc(j[jOp:]))
	return j
}

// decodeJournal parses a committed journal; any inconsistency means the
// journal itself is corrupt (a torn journal never reads as committed).
func decodeJournal(j []byte, l layout) (*jop, string) {
	kind, count := le.Uint32(j[jOp:]), le.Uint32(j[jCount:])
	var recLen int
	switch {
	case kind == opAlloc && count == 1:
		recLen = recordSize
	case kind == opFree && count >= 1 && uint64(count) <= uint64(l.maxBlocks):
	default:
		return nil, fmt.Sprintf("bad operation %d with %d slots", kind, count)
	}
	end := jPayload + 4*int(count) + recLen
	if end > len(j) {
		return nil, "payload overruns the journal"
	}
	if got, want := le.Uint32(j[jCRC:]), crc(j[jOp:end]); got != want {
		return nil, fmt.Sprintf("bad checksum %#08x, computed %#08x", got, want)
	}
	op := &jop{kind: kind, slots: make([]int, count)}
	seen := make(map[int]bool, count)
	for i := range op.slots {
		s := le.Uint32(j[jPayload+4*i:])
		if uint64(s) >= uint64(l.maxBlocks) || seen[int(s)] {
			return nil, fmt.Sprintf("bad slot %d", s)
		}
		seen[int(s)] = true
		op.slots[i] = int(s)
	}
	if kind == opAlloc {
		op.rec = j[jPayload+4 : end]
		if _, why := decodeRecord(op.rec, l); why != "" {
			return nil, "record: " + why
		}
	}
	return op, ""
}

// commit makes op durable and applies it to the table:
//
//  1. journal body (op, slots, record, CRC)   fence
//  2. journal state = jCommitted              fence   <- the commit point
//  3. table records (redo-able)               fence
//  4. journal state = 0                       fence
//
// A reset before 2 lands leaves the table untouched and the journal
// uncommitted: the state before. A reset after it makes Open redo step 3:
// the state after. Step 4 torn leaves a state word that is neither 0 nor
// jCommitted, which Open treats as idle.
func (b *Bank) commit(op *jop) {
	b.st.store(journalOff+jCRC, op.encode()[jCRC:])
	b.st.fence()
	b.storeState(jCommitted)
	b.apply(op)
	b.storeState(0)
}

func (b *Bank) storeState(v uint32) {
	var w [4]byte
	le.PutUint32(w[:], v)
	b.st.store(journalOff+jState, w[:])
	b.st.fence()
}

// apply writes op's records into the table; it is idempotent, so Open can
// redo it after any interruption, including one during a previous redo.
func (b *Bank) apply(op *jop) {
	for _, s := range op.slots {
		if op.kind == opAlloc {
			b.st.store(b.lay.slotOff(s), op.rec)
		} else {
			b.st.store(b.lay.slotOff(s), zeroRecord)
		}
	}
	b.st.fence()
}
