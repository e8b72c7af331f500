package pmm

import "fmt"

// Geometry is the bank's shape, taken from the image's static tunables
// (pmm.rambankSize, pmm.maxBlocks). It is recorded in the bank so that an
// image built with other tunables never reinterprets old metadata.
type Geometry struct {
	Size      int // bytes, a multiple of PageSize: the whole region
	MaxBlocks int // most blocks (and names) at once
}

// Validate reports whether g can describe a bank: page-multiple size within
// MaxPages, 1..MaxMaxBlocks blocks, and room for the metadata plus at least
// one data page.
func (g Geometry) Validate() error {
	if g.Size <= 0 || g.Size%PageSize != 0 {
		return fmt.Errorf("%w: size %#x is not a positive multiple of the page size %#x", ErrGeometry, g.Size, PageSize)
	}
	if g.Size/PageSize > MaxPages {
		return fmt.Errorf("%w: size %#x exceeds %d pages", ErrGeometry, g.Size, MaxPages)
	}
	if g.MaxBlocks < 1 || g.MaxBlocks > MaxMaxBlocks {
		return fmt.Errorf("%w: maxBlocks %d outside 1..%d", ErrGeometry, g.MaxBlocks, MaxMaxBlocks)
	}
	if l := layoutOf(g); l.metaPages >= l.pages {
		return fmt.Errorf("%w: size %#x (%d pages) leaves no data page after %d metadata pages for %d blocks",
			ErrGeometry, g.Size, l.pages, l.metaPages, g.MaxBlocks)
	}
	return nil
}

// MetaPages is how many pages at the start of the bank hold metadata (header,
// journal, block table); they are not available to blocks.
func (g Geometry) MetaPages() int { return layoutOf(g).metaPages }

// DataPages is how many pages blocks can use.
func (g Geometry) DataPages() int { l := layoutOf(g); return l.pages - l.metaPages }
