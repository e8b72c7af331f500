package record

import (
	"bytes"
	"errors"
	"math/rand"
	"slices"
	"testing"

	"github.com/stretchr/testify/require"
)

// This file proves the package's crash-consistency claim: a reset during a
// Write, leaving any subset of the bytes it changes, reopens with the
// previous version or the new one, never another payload, and the record
// stays writable. Every earlier write is whole (a fence separates writes).

var kind = Kind{Name: "test record", Magic: Magic("TST1"), Version: 3}

// subsets calls visit with the subsets of n changed bytes that a cut can
// leave: all 2ⁿ up to n = exhaustiveMax, otherwise every prefix and suffix
// (in address order), every single byte, every all-but-one and random ones.
const exhaustiveMax = 16

func subsets(n int, rng *rand.Rand, visit func(in func(i int) bool)) {
	if n <= exhaustiveMax {
		for m := uint32(0); m < 1<<n; m++ {
			visit(func(i int) bool { return m>>i&1 != 0 })
		}
		return
	}
	for k := 0; k <= n; k++ {
		visit(func(i int) bool { return i < k })
		visit(func(i int) bool { return i >= k })
	}
	for k := 0; k < n; k++ {
		visit(func(i int) bool { return i == k })
		visit(func(i int) bool { return i != k })
	}
	for range 4096 {
		m := make([]bool, n)
		for i := range m {
			m[i] = rng.Intn(2) == 0
		}
		visit(func(i int) bool { return m[i] })
	}
}

// cutWrite writes next through r, then reopens every cut image of that
// write. prev is the payload before (nil: the block had no valid record).
// It returns the number of images checked.
func cutWrite(t *testing.T, blk []byte, r *Record, prev, next []byte, rng *rand.Rand) int {
	t.Helper()
	before := slices.Clone(blk)
	require.NoError(t, r.Write(next))
	after := slices.Clone(blk)
	var diff []int
	for i := range blk {
		if before[i] != after[i] {
			diff = append(diff, i)
		}
	}
	require.NotEmpty(t, diff)
	img := make([]byte, len(blk))
	count := 0
	subsets(len(diff), rng, func(in func(int) bool) {
		count++
		copy(img, before)
		landed := 0
		for k, i := range diff {
			if in(k) {
				img[i] = after[i]
				landed++
			}
		}
		r2, p, err := Load(img, kind)
		switch {
		case landed == len(diff):
			require.NoError(t, err)
			require.Equal(t, next, p, "whole write")
		case err == nil:
			if !bytes.Equal(p, next) {
				require.Equal(t, prev, p, "cut with %d of %d bytes landed: neither before nor after", landed, len(diff))
			}
		default:
			require.Nil(t, prev, "cut with %d of %d bytes landed lost the previous version: %v", landed, len(diff), err)
			require.True(t, errors.Is(err, ErrEmpty) || errors.Is(err, ErrInvalid), "%v", err)
		}
		// The record stays writable, twice (both copies), from the cut.
		for _, v := range [][]byte{{0xee, byte(landed)}, {0xdd}} {
			require.NoError(t, r2.Write(v))
			_, p, err = Load(img, kind)
			require.NoError(t, err)
			require.Equal(t, v, p)
		}
	})
	return count
}

func payload(n int, seed byte) []byte {
	p := make([]byte, n)
	for i := range p {
		p[i] = seed + byte(i*7)
	}
	return p
}

func TestCutEveryWrite(t *testing.T) {
	rng := rand.New(rand.NewSource(1))
	total := 0
	type step struct {
		setSeq uint32 // when not 0, the record continues from this sequence number
		p      []byte
	}
	for _, sc := range []struct {
		name  string
		size  int
		steps []step
	}{
		{"blank", 256, []step{{p: []byte{1, 2}}, {p: []byte{3, 4}}}},
		{"steady", 256, []step{{p: payload(3, 1)}, {p: payload(3, 2)}, {p: payload(3, 3)}, {p: payload(3, 4)}, {p: payload(3, 5)}}},
		{"wrap", 256, []step{{setSeq: 0xfffffffd, p: []byte{1}}, {p: []byte{2}}, {p: []byte{3}}, {p: []byte{4}}, {p: []byte{5}}}},
		{"grow", 256, []step{{p: []byte{9}}, {p: []byte{8}}, {p: payload(40, 7)}, {p: payload(100, 6)}}},
		{"shrink", 256, []step{{p: payload(100, 1)}, {p: payload(90, 2)}, {p: payload(2, 3)}, {p: nil}}},
		{"page", 4096, []step{{p: payload(Capacity(4096), 1)}, {p: payload(Capacity(4096), 2)}, {p: payload(Capacity(4096), 3)}}},
	} {
		t.Run(sc.name, func(t *testing.T) {
			blk := make([]byte, sc.size)
			r := New(blk, kind)
			var prev []byte
			n := 0
			for _, s := range sc.steps {
				if s.setSeq != 0 {
					r.seq = s.setSeq
				}
				if s.p == nil {
					s.p = []byte{}
				}
				n += cutWrite(t, blk, r, prev, s.p, rng)
				prev = s.p
			}
			t.Logf("%d cut images", n)
			total += n
		})
	}
	t.Logf("record: %d cut images checked", total)
}

// After a torn write the next write goes over the torn copy, never over the
// one that holds the newest valid version; cutting that write is safe too.
func TestCutAfterTornWrite(t *testing.T) {
	rng := rand.New(rand.NewSource(2))
	blk := make([]byte, 256)
	r := New(blk, kind)
	require.NoError(t, r.Write([]byte{1, 1})) // copy A
	require.NoError(t, r.Write([]byte{2, 2})) // copy B
	before := slices.Clone(blk)
	require.NoError(t, r.Write([]byte{3, 3})) // copy A, torn below
	copy(blk[14:18], before[14:18])           // all but the CRC landed
	require.NotEqual(t, before, blk)
	r2, p, err := Load(blk, kind)
	require.NoError(t, err)
	require.Equal(t, []byte{2, 2}, p)
	require.Equal(t, byte('B'), r2.Copy())
	require.Contains(t, r2.Note(), "copy A invalid (CRC mismatch), copy B used")
	require.Positive(t, cutWrite(t, blk, r2, []byte{2, 2}, []byte{4, 4}, rng))
}

// Damage is not a torn write: a bit flipped anywhere in a block holding two
// versions costs at most the copy it hits. A flip in the newest copy falls
// back to the previous version, saying so in Note; anywhere else the newest
// version is read. Never is the record lost, and it stays writable.
func TestBitFlipCostsOneCopy(t *testing.T) {
	blk := make([]byte, 256)
	r := New(blk, kind)
	require.NoError(t, r.Write([]byte{1, 1, 1})) // copy A
	require.NoError(t, r.Write([]byte{2, 2}))    // copy B, the newest
	good := slices.Clone(blk)
	img := make([]byte, len(blk))
	for bit := range 8 * len(blk) {
		copy(img, good)
		img[bit/8] ^= 1 << (bit % 8)
		r2, p, err := Load(img, kind)
		require.NoError(t, err, "bit %d", bit)
		inB := bit/8 >= len(blk)/2 && bit/8 < len(blk)/2+Overhead+2
		inA := bit/8 < Overhead+3
		switch {
		case inB:
			require.Equal(t, []byte{1, 1, 1}, p, "bit %d", bit)
			require.Contains(t, r2.Note(), "copy B invalid", "bit %d", bit)
		default:
			require.Equal(t, []byte{2, 2}, p, "bit %d", bit)
			if inA {
				require.Contains(t, r2.Note(), "copy A invalid", "bit %d", bit)
			}
		}
		require.NoError(t, r2.Write([]byte{3}))
		_, p, err = Load(img, kind)
		require.NoError(t, err)
		require.Equal(t, []byte{3}, p)
	}
}
