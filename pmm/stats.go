package pmm

// Blocks lists the blocks sorted by FirstPage.
func (b *Bank) Blocks() []BlockInfo {
	b.mu.Lock()
	defer b.mu.Unlock()
	out := make([]BlockInfo, len(b.order))
	for k, i := range b.order {
		out[k] = b.slots[i].info()
	}
	return out
}

// Stats summarises page and block usage.
func (b *Bank) Stats() Stats {
	b.mu.Lock()
	defer b.mu.Unlock()
	l := b.lay
	lost := b.lostPages()
	return Stats{
		Pages:          l.pages,
		UsedPages:      b.used,
		FreePages:      l.pages - l.metaPages - b.used - lost,
		Quarantined:    len(b.quar),
		LostPages:      lost,
		MetaPages:      l.metaPages,
		Blocks:         len(b.order),
		MaxBlocks:      l.maxBlocks,
		LargestFreeRun: b.largestFreeRun(),
	}
}

// Geometry is the geometry the bank was opened with.
func (b *Bank) Geometry() Geometry { return b.g }
