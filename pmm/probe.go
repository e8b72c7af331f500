package pmm

import "fmt"

// GeometryOf returns the geometry recorded in the header of the bank image
// mem, so that a host tool opens a RAM dump without being told the
// tunables it was built with. The header's magic, layout version and CRC
// are checked first: anything else is an error wrapping ErrCorrupt (a blank
// or foreign region) or ErrGeometry (a recorded geometry no bank can have),
// never a guess. Open still validates everything else.
func GeometryOf(mem []byte) (Geometry, error) {
	if len(mem) < headerSize {
		return Geometry{}, fmt.Errorf("%w: %d bytes, the header alone is %d", ErrCorrupt, len(mem), headerSize)
	}
	h := mem[:headerSize]
	if why := headerIdentity(h); why != "" {
		return Geometry{}, fmt.Errorf("%w: %s", ErrCorrupt, why)
	}
	if ps := le.Uint32(h[hPageSize:]); ps != PageSize {
		return Geometry{}, fmt.Errorf("%w: page size %#x in bank, %#x here", ErrGeometry, ps, PageSize)
	}
	pages, blocks := le.Uint32(h[hPages:]), le.Uint32(h[hMaxBlocks:])
	if pages > MaxPages || blocks > MaxMaxBlocks {
		return Geometry{}, fmt.Errorf("%w: %d pages, %d blocks recorded", ErrGeometry, pages, blocks)
	}
	g := Geometry{Size: int(pages) * PageSize, MaxBlocks: int(blocks)}
	return g, g.Validate()
}

// headerIdentity checks what says a header is a bank's at all, in bank
// order: blank, magic, version, checksum. It returns why not, or "".
func headerIdentity(h []byte) string {
	if allZero(h) {
		return "blank"
	}
	if m := le.Uint32(h[hMagic:]); m != bankMagic {
		return fmt.Sprintf("bad magic %#08x", m)
	}
	if v := le.Uint16(h[hVersion:]); v != LayoutVersion {
		return fmt.Sprintf("layout version %d unsupported", v)
	}
	if got, want := le.Uint32(h[hCRC:]), crc(h[:hCRC]); got != want {
		return fmt.Sprintf("bad header checksum %#08x, computed %#08x", got, want)
	}
	return ""
}
