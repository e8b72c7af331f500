package pmm

import "fmt"

// checkHeader validates the header in bank order (like bloblist_check):
// blank, magic, version, checksum, geometry, derived layout. It returns ""
// when the header describes exactly l, else why not.
func checkHeader(h []byte, l layout) string {
	if why := headerIdentity(h); why != "" {
		return why
	}
	var diffs []string
	if ps := le.Uint32(h[hPageSize:]); ps != PageSize {
		diffs = append(diffs, fmt.Sprintf("page size %#x in bank, %#x in image", ps, PageSize))
	}
	if p := le.Uint32(h[hPages:]); int64(p) != int64(l.pages) {
		diffs = append(diffs, fmt.Sprintf("size %#x in bank, %#x in image", uint64(p)*PageSize, uint64(l.pages)*PageSize))
	}
	if m := le.Uint32(h[hMaxBlocks:]); int64(m) != int64(l.maxBlocks) {
		diffs = append(diffs, fmt.Sprintf("maxBlocks %d in bank, %d in image", m, l.maxBlocks))
	}
	if len(diffs) > 0 {
		s := "geometry differs: " + diffs[0]
		for _, d := range diffs[1:] {
			s += "; " + d
		}
		return s
	}
	want := encodeHeader(l)
	if string(h) != string(want) {
		return "bad header: layout fields disagree with version 1 for this geometry"
	}
	return ""
}

// decodeRecord validates one table record. A free slot is 96 zero bytes; a
// used one has the used marker, a good checksum, a valid name and key with
// zero padding, a known owner and a page run inside the data area.
func decodeRecord(r []byte, l layout) (slot, string) {
	var s slot
	switch st := le.Uint32(r[rState:]); st {
	case 0:
		if !allZero(r) {
			return s, "free slot not blank"
		}
		return s, ""
	case recUsed:
	default:
		return s, fmt.Sprintf("bad state %#08x", st)
	}
	if got, want := le.Uint32(r[rCRC:]), crc(r[:rCRC]); got != want {
		return s, fmt.Sprintf("bad checksum %#08x, computed %#08x", got, want)
	}
	nl, kl := int(r[rNameLen]), int(r[rKeyLen])
	if nl < 1 || nl > MaxNameLen || kl < 1 || kl > MaxKeyLen {
		return s, fmt.Sprintf("bad name/key length %d/%d", nl, kl)
	}
	name, key := string(r[rName:rName+nl]), string(r[rKey:rKey+kl])
	if !printable(name, MaxNameLen) || !allZero(r[rName+nl:rKey]) {
		return s, fmt.Sprintf("bad name %q", name)
	}
	if !printable(key, MaxKeyLen) || !allZero(r[rKey+kl:rReserved]) {
		return s, fmt.Sprintf("bad key %q", key)
	}
	if r[rOwner] > byte(System) || r[15] != 0 || le.Uint32(r[rReserved:]) != 0 {
		return s, "bad owner or reserved field"
	}
	first, pages := uint64(le.Uint32(r[rFirst:])), uint64(le.Uint32(r[rPages:]))
	if pages < 1 || first < uint64(l.metaPages) || first+pages > uint64(l.pages) {
		return s, fmt.Sprintf("pages %d..%d outside data pages %d..%d", first, first+pages, l.metaPages, l.pages)
	}
	return slot{used: true, owner: Owner(r[rOwner]), first: int(first), pages: int(pages), name: name, key: key}, ""
}
