package upgrade

import "testing"

// FuzzParse: no stream makes Parse panic, and whatever it accepts stays
// inside the area it was given.
func FuzzParse(f *testing.F) {
	f.Add(goodELF().bytes())
	f.Fuzz(func(t *testing.T, b []byte) {
		img, err := Parse(b, testArea)
		if err != nil {
			return
		}
		for _, s := range img.Segments {
			if s.Addr < testArea.Start || uint64(s.Addr)+uint64(s.MemSize) > uint64(testArea.End) {
				t.Fatalf("segment %#x+%#x accepted outside the area", s.Addr, s.MemSize)
			}
		}
	})
}
