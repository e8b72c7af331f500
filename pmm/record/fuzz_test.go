package record

import (
	"bytes"
	"testing"
)

// FuzzLoad: no block contents make Load panic (a bank record is read from
// DRAM that a cold boot, a stray write or an older image may have left);
// what it accepts fits the block, and the record it returns writes a next
// version that loads back.
func FuzzLoad(f *testing.F) {
	blk := make([]byte, 128)
	r := New(blk, kind)
	_ = r.Write([]byte("one"))
	f.Add(bytes.Clone(blk))
	_ = r.Write([]byte("two, longer"))
	f.Add(bytes.Clone(blk))
	f.Add(make([]byte, 64))
	f.Add([]byte("TST1\x03\x00\xff\xff"))
	f.Add(make([]byte, 33))
	f.Fuzz(func(t *testing.T, blk []byte) {
		r, p, err := Load(blk, kind)
		if err == nil && len(p) > Capacity(len(blk)) {
			t.Fatalf("payload of %d bytes from a block holding %d", len(p), Capacity(len(blk)))
		}
		if err != nil || len(blk) < BlockSize(0) {
			return
		}
		if err := r.Write(p); err != nil {
			t.Fatalf("rewriting what Load returned: %v", err)
		}
		_, again, err := Load(blk, kind)
		if err != nil || !bytes.Equal(again, p) {
			t.Fatalf("next version: %q, %v; want %q", again, err, p)
		}
	})
}
