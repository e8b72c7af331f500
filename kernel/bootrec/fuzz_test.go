package bootrec

import "testing"

// FuzzDecode: no boot record payload (DRAM an older image, a stray write or
// a power cut left) makes decode panic, and what it accepts survives a
// round trip.
func FuzzDecode(f *testing.F) {
	buf := make([]byte, payloadSize)
	encode(buf, Record{Boots: 3, SiteRestarts: 2, Path: 1, Intent: "console restart", Pending: true})
	f.Add(buf)
	f.Add(make([]byte, payloadSize))
	long := make([]byte, payloadSize)
	long[31] = 0xff // an intent longer than its field
	f.Add(long)
	f.Add([]byte{1, 2, 3})
	f.Fuzz(func(t *testing.T, p []byte) {
		r, ok := decode(p)
		if !ok {
			return
		}
		again := make([]byte, payloadSize)
		encode(again, r)
		if r2, ok := decode(again); !ok || r2 != r {
			t.Fatalf("%+v does not survive a round trip: %+v", r, r2)
		}
	})
}
