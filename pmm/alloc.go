package pmm

import (
	"slices"
	"sort"
)

// findRun returns the first page of the lowest free run of at least n pages
// (first fit over the gaps between blocks, and the runs quarantined records
// withhold, in page order), and the largest free run seen, for the error
// message.
func (b *Bank) findRun(n int) (first, largest int, ok bool) {
	cur := b.lay.metaPages
	gap := func(next int) bool {
		if g := next - cur; g >= n {
			first, largest, ok = cur, g, true
		} else if g > largest {
			largest = g
		}
		return ok
	}
	if len(b.quar) == 0 {
		for _, i := range b.order {
			s := &b.slots[i]
			if gap(s.first) {
				return
			}
			cur = s.first + s.pages
		}
	} else {
		for _, r := range b.heldRuns() {
			if gap(r[0]) {
				return
			}
			cur = max(cur, r[0]+r[1])
		}
	}
	gap(b.lay.pages)
	return
}

// largestFreeRun measures fragmentation: the biggest block still allocatable.
func (b *Bank) largestFreeRun() int {
	_, largest, _ := b.findRun(b.lay.pages + 1)
	return largest
}

// pos is where a block starting at first is, or belongs, in b.order.
func (b *Bank) pos(first int) int {
	return sort.Search(len(b.order), func(k int) bool { return b.slots[b.order[k]].first >= first })
}

// insert records slot i, already committed to the bank, in the decoded copy.
func (b *Bank) insert(i int, s slot) {
	b.slots[i] = s
	b.byName[s.name] = i
	k := b.pos(s.first)
	b.order = append(b.order, 0)
	copy(b.order[k+1:], b.order[k:])
	b.order[k] = i
	b.used += s.pages
}

// remove forgets the slots, already freed in the bank, from the decoded copy.
func (b *Bank) remove(idx []int) {
	if len(idx) == 1 {
		if k := b.pos(b.slots[idx[0]].first); k < len(b.order) && b.order[k] == idx[0] {
			b.order = append(b.order[:k], b.order[k+1:]...)
		}
	}
	for _, i := range idx {
		s := &b.slots[i]
		delete(b.byName, s.name)
		b.used -= s.pages
		*s = slot{}
		b.free = append(b.free, i)
	}
	if len(idx) > 1 {
		b.order = slices.DeleteFunc(b.order, func(i int) bool { return !b.slots[i].used })
	}
}
