package span

import (
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// go126 is the data segment of a tamago-go 1.26 image as the linker lays it
// out (build/hr-mx6ullevk.elf, readelf -S).
func go126() ([]Section, map[string]uint64) {
	secs := []Section{
		{Name: ".text", Addr: 0x80010000, Size: 0x14ebe0, Align: 4},
		{Name: ".rodata", Addr: 0x8015f000, Size: 0x0491cd, Align: 8},
		{Name: ".gopclntab", Addr: 0x801a81d0, Size: 0x0fefc4, Align: 8},
		{Name: ".typelink", Addr: 0x802a7198, Size: 0xee4, Align: 8},
		{Name: ".itablink", Addr: 0x802a8080, Size: 0xf4, Align: 8},
		{Name: ".go.buildinfo", Addr: 0x802a9000, Size: 0x210, Align: 16, Write: true},
		{Name: ".go.fipsinfo", Addr: 0x802a9210, Size: 0x54, Align: 8, Write: true},
		{Name: ".go.module", Addr: 0x802a9268, Size: 0x128, Align: 8, Write: true},
		{Name: ".noptrdata", Addr: 0x802a9390, Size: 0x01d259, Align: 8, Write: true},
		{Name: ".data", Addr: 0x802c65f0, Size: 0x783a, Align: 8, Write: true},
		{Name: ".bss", Addr: 0x802cde30, Size: 0x9c68, Align: 8, Write: true, NoBits: true},
		{Name: ".noptrbss", Addr: 0x802d7a98, Size: 0x2007f78, Align: 8, Write: true, NoBits: true},
	}
	syms := map[string]uint64{"runtime.edata": 0x802cde2a, "runtime.bss": 0x802cde30, "runtime.enoptrbss": 0x822dfa10}
	return secs, syms
}

func TestLayoutCoversEveryWritableSection(t *testing.T) {
	secs, syms := go126()
	sp, err := Layout(secs, syms)
	require.NoError(t, err)
	assert.Equal(t, uint64(0x802a9000), sp.Start, "the span starts at .go.buildinfo, not at .noptrdata")
	assert.Equal(t, uint64(0x802cde2c), sp.End, "runtime.edata rounded up to a word")
	assert.Equal(t, []string{".go.buildinfo", ".go.fipsinfo", ".go.module", ".noptrdata", ".data"}, sp.Sections)
	assert.Equal(t, uint64(0x802cde30), sp.BSS)
	assert.Equal(t, uint64(0x822dfa10), sp.EndBSS)
}

func TestLayoutRejects(t *testing.T) {
	for _, tc := range []struct {
		name   string
		break_ func(secs []Section, syms map[string]uint64) []Section
		err    string
	}{
		{"gap", func(s []Section, _ map[string]uint64) []Section { s[7].Addr += 0x20; s[7].Size -= 0x20; return s },
			"gap of 36 bytes before .go.module at 0x802a9288"},
		{"read-only inside", func(s []Section, _ map[string]uint64) []Section {
			return append(s, Section{Name: ".rodata2", Addr: 0x802a9100, Size: 0x10})
		}, ".rodata2 at 0x802a9100 lies inside the writable span"},
		{"loaded after bss", func(s []Section, _ map[string]uint64) []Section {
			return append(s, Section{Name: ".late", Addr: 0x83000000, Size: 0x10, Write: true})
		}, "gap of"},
		{"edata", func(s []Section, m map[string]uint64) []Section { m["runtime.edata"] = 0x802c65f0; return s },
			"runtime.edata is 0x802c65f0, the sections say 0x802cde2a"},
		{"bss symbol", func(s []Section, m map[string]uint64) []Section { delete(m, "runtime.bss"); return s },
			"no symbol runtime.bss"},
		{"too big", func(s []Section, m map[string]uint64) []Section {
			s[8].Size += 1 << 20
			for _, i := range []int{9, 10, 11} {
				s[i].Addr += 1 << 20
			}
			m["runtime.edata"] += 1 << 20
			m["runtime.bss"] += 1 << 20
			m["runtime.enoptrbss"] += 1 << 20
			return s
		}, "does not fit the save area"},
		{"text after bss", func(s []Section, _ map[string]uint64) []Section {
			return append(s, Section{Name: ".text2", Addr: 0x83000000, Size: 0x10})
		}, ".text2 at 0x83000000 comes after the writable data"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			secs, syms := go126()
			_, err := Layout(tc.break_(secs, syms), syms)
			require.Error(t, err)
			assert.Contains(t, err.Error(), tc.err)
		})
	}
}

func TestSkipIsTheScratchBufferInWholeWords(t *testing.T) {
	secs, syms := go126()
	sp, err := Layout(secs, syms)
	require.NoError(t, err)
	start, end := Skip(sp, 0x802d7aa2, 32<<20)
	assert.Equal(t, uint64(0x802d7aa4), start, "start rounded up to a word")
	assert.Equal(t, uint64(0x802d7aa2+32<<20)&^3, end, "end rounded down")
	s0, e0 := Skip(sp, 0x802cde00, 0x100)
	assert.Equal(t, [2]uint64{0, 0}, [2]uint64{s0, e0}, "a buffer that starts below the BSS is zeroed")
	s0, e0 = Skip(sp, 0x822dfa00, 0x100)
	assert.Equal(t, [2]uint64{0, 0}, [2]uint64{s0, e0}, "a buffer that ends past the BSS is zeroed")
	s0, e0 = Skip(sp, 0x802d7aa1, 2)
	assert.Equal(t, [2]uint64{0, 0}, [2]uint64{s0, e0}, "no whole word: nothing skipped")
}
