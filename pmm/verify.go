package pmm

import (
	"fmt"
	"strings"
)

// Verify re-reads the metadata in the region now and checks that it is
// exactly what this package wrote: header, idle journal, and every table
// record (checksum first, then equality with the decoded copy; a record
// quarantined by Open must still hold the bytes Open found). It catches
// stray writes and decayed memory between Open and the next reset, which
// quarantines a record found damaged then.
func (b *Bank) Verify() error {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.verify()
}

func (b *Bank) verify() error {
	l := b.lay
	var bad []string
	if why := checkHeader(b.mem[:headerSize], l); why != "" {
		bad = append(bad, "header: "+why)
	}
	if st := le.Uint32(b.mem[journalOff+jState:]); st != 0 {
		bad = append(bad, fmt.Sprintf("journal: state %#08x while idle", st))
	}
	quar := map[int][]byte{}
	for _, q := range b.quar {
		quar[q.Slot] = q.raw
	}
	for i := range b.slots {
		off := l.slotOff(i)
		r := b.mem[off : off+recordSize]
		if raw, ok := quar[i]; ok {
			if string(r) != string(raw) {
				bad = append(bad, fmt.Sprintf("slot %d: quarantined record changed since Open", i))
			}
			continue
		}
		got, why := decodeRecord(r, l)
		switch s := &b.slots[i]; {
		case why != "":
			bad = append(bad, fmt.Sprintf("slot %d: %s", i, why))
		case got.used != s.used:
			bad = append(bad, fmt.Sprintf("slot %d: used=%v in bank, %v in index", i, got.used, s.used))
		case s.used && got != *s:
			bad = append(bad, fmt.Sprintf("slot %d: %+v in bank, %+v in index", i, got.info(), s.info()))
		}
	}
	if len(bad) == 0 {
		return nil
	}
	const show = 4
	n, more := len(bad), ""
	if n > show {
		more = fmt.Sprintf("; and %d more", len(bad)-show)
		bad = bad[:show]
	}
	return fmt.Errorf("%w: %d problems: %s%s", ErrCorrupt, n, strings.Join(bad, "; "), more)
}
