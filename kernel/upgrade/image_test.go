package upgrade

import (
	"debug/elf"
	"fmt"
	"testing"

	"github.com/stretchr/testify/require"
)

func TestParseGoodImage(t *testing.T) {
	raw := goodELF().bytes()
	img, err := Parse(raw, testArea)
	require.NoError(t, err)
	require.Equal(t, uint32(0x80010010), img.Entry)
	require.Len(t, img.ELF, len(raw))
	require.Nil(t, img.Signature)
	require.Equal(t, "v2", img.Manifest[KeyVersion])
	require.Len(t, img.Segments, 2)
	require.Equal(t, uint32(0x80010000), img.Segments[0].Addr)
	require.Len(t, img.Segments[0].Data, 64)
	require.Equal(t, uint32(64), img.Segments[0].MemSize)
	require.Equal(t, uint32(0x80020000), img.Segments[1].Addr)
	require.Equal(t, []byte{0xd5, 0xd5}, img.Segments[1].Data[:2])
	require.Equal(t, uint32(32+0x3000), img.Segments[1].MemSize)
}

func TestParseRefusals(t *testing.T) {
	for _, tc := range []struct {
		name string
		edit func(e *testELF)
		want string
	}{
		{"wrong machine", func(e *testELF) { e.machine = elf.EM_AARCH64 }, "not a firmware image: machine EM_AARCH64, want EM_ARM"},
		{"not executable", func(e *testELF) { e.typ = elf.ET_DYN }, "not a firmware image: type ET_DYN, want ET_EXEC"},
		{"below the area", func(e *testELF) { e.text, e.entry = 0x8000f000, 0x8000f010 }, "image does not fit: segment 0x8000f000-0x8000f040 outside the image area 0x80010000-0x9fe00000"},
		{"bss past the area", func(e *testELF) { e.data, e.bss = 0x9fdff000, 0x1000 }, "image does not fit: segment 0x9fdff000-0x9fe00020 outside the image area 0x80010000-0x9fe00000"},
		{"entry in data", func(e *testELF) { e.entry = 0x80020000 }, "image does not fit: entry 0x80020000 is not in an executable segment"},
		{"entry nowhere", func(e *testELF) { e.entry = 0x9000000 }, "image does not fit: entry 0x9000000 is not in an executable segment"},
		{"data not word aligned", func(e *testELF) { e.data = 0x80020002 }, "image does not fit: segment at 0x80020002 is not word aligned"},
		{"overlapping segments", func(e *testELF) { e.data = 0x80010020 }, "not a firmware image: segments at 0x80010000 and 0x80010020 overlap"},
		{"segment past the end of the file", func(e *testELF) { e.textSize = 0x10000 }, "not a firmware image: truncated: 634 bytes, the ELF's headers say 65652"},
		{"no manifest", func(e *testELF) { e.manifest = nil }, "not a firmware image: no .hr.manifest section (not built by this project's Makefile)"},
		{"bad manifest", func(e *testELF) { e.manifest = []byte("hello\n") }, `bad manifest: first line is not "hr-manifest 1"`},
	} {
		t.Run(tc.name, func(t *testing.T) {
			e := goodELF()
			tc.edit(&e)
			_, err := Parse(e.bytes(), testArea)
			require.EqualError(t, err, tc.want)
		})
	}
}

func TestParseTruncatedAtEveryLength(t *testing.T) {
	raw := goodELF().bytes()
	for n := 0; n < len(raw); n++ {
		_, err := Parse(raw[:n], testArea)
		require.ErrorIs(t, err, ErrNotImage, "cut at %d of %d bytes", n, len(raw))
		if n >= 52 { // a whole ELF header: the error gives both sizes
			require.ErrorContains(t, err, fmt.Sprintf("truncated: %d bytes, the ELF's headers say %d", n, len(raw)))
		}
	}
}

func TestParseTrailer(t *testing.T) {
	raw := goodELF().bytes()
	sig := []byte("untrusted comment: signature\nRUQ…\n")
	img, err := Parse(append(raw[:len(raw):len(raw)], sig...), testArea)
	require.NoError(t, err)
	require.Equal(t, raw, img.ELF)
	require.Equal(t, sig, img.Signature)

	_, err = Parse(append(raw[:len(raw):len(raw)], "junk"...), testArea)
	require.EqualError(t, err, "not a firmware image: 4 bytes after the ELF are not a minisign signature")
}

// A file that is not an ELF at all (a key, a signature alone, text) is
// named so, with its first bytes as text.
func TestParseNotAnELF(t *testing.T) {
	_, err := Parse([]byte("untrusted comment: minisign public key\n"), testArea)
	require.ErrorIs(t, err, ErrNotImage)
	require.EqualError(t, err, `not a firmware image: not an ELF file (it starts "untr")`)
}
