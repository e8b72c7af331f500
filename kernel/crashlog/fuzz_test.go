package crashlog

import (
	"bytes"
	"testing"
)

// FuzzAttach: whatever the block holds at boot, Attach neither panics nor
// returns more than the ring holds, and the ring it returns logs.
func FuzzAttach(f *testing.F) {
	mem := make([]byte, 64)
	r, _ := Attach(mem)
	for _, c := range []byte("hr> aps\nline two\n") {
		r.Put(c)
	}
	f.Add(bytes.Clone(mem))
	for range 100 {
		r.Put('x')
	}
	f.Add(bytes.Clone(mem)) // wrapped
	f.Add(make([]byte, hdr+1))
	f.Fuzz(func(t *testing.T, mem []byte) {
		if len(mem) <= hdr {
			return // the kernel allocates whole pages
		}
		if l, ok := Read(bytes.Clone(mem)); ok && len(l.Text) > len(mem)-hdr {
			t.Fatalf("read %d bytes from a ring of %d", len(l.Text), len(mem)-hdr)
		}
		r, prev := Attach(mem)
		if len(prev.Text) > len(mem)-hdr {
			t.Fatalf("%d bytes from a ring of %d", len(prev.Text), len(mem)-hdr)
		}
		r.Put('a')
		if got := r.Bytes(); !got.Found || string(got.Text) != "a" {
			t.Fatalf("after Attach and one byte: %+v", got)
		}
	})
}
