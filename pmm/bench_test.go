package pmm

import (
	"fmt"
	"testing"

	"github.com/stretchr/testify/require"
)

var benchSizes = []int{30, 300, 3000}

// batch is how many blocks the allocate and free benchmarks create or free
// between two pauses of the timer (pausing reads memstats, which is slow).
const batch = 256

// benchBank is a bank of n one-page blocks with room for spare more.
func benchBank(b *testing.B, n, spare int) (*Bank, []byte, Geometry) {
	g := Geometry{MaxBlocks: n + spare}
	g.Size = (g.MetaPages() + n + spare) * PageSize
	mem := make([]byte, g.Size)
	bk, _, err := Open(mem, g)
	require.NoError(b, err)
	for i := range n {
		_, err := bk.Allocate(fmt.Sprintf("block-%d", i), PageSize, "bench")
		require.NoError(b, err)
	}
	return bk, mem, g
}

var batchNames = func() []string {
	s := make([]string, batch)
	for i := range s {
		s[i] = fmt.Sprintf("new-%d", i)
	}
	return s
}()

func eachSize(b *testing.B, fn func(b *testing.B, n int)) {
	for _, n := range benchSizes {
		b.Run(fmt.Sprintf("blocks=%d", n), func(b *testing.B) { fn(b, n) })
	}
}

// BenchmarkAllocate allocates new one-page blocks into a bank of n.
func BenchmarkAllocate(b *testing.B) {
	eachSize(b, func(b *testing.B, n int) {
		bk, _, _ := benchBank(b, n, batch)
		i := 0
		for b.Loop() {
			if i == batch {
				b.StopTimer()
				_, _ = bk.FreeAll("new")
				i = 0
				b.StartTimer()
			}
			if _, err := bk.Allocate(batchNames[i], PageSize, "new"); err != nil {
				b.Fatal(err)
			}
			i++
		}
	})
}

// BenchmarkRetrieve retrieves existing blocks (Allocate of a known name).
func BenchmarkRetrieve(b *testing.B) {
	eachSize(b, func(b *testing.B, n int) {
		bk, _, _ := benchBank(b, n, batch)
		names := make([]string, n)
		for i := range names {
			names[i] = fmt.Sprintf("block-%d", i)
		}
		i := 0
		for b.Loop() {
			if _, err := bk.Allocate(names[i], 1, "k"); err != nil {
				b.Fatal(err)
			}
			if i++; i == n {
				i = 0
			}
		}
	})
}

// BenchmarkFree frees one-page blocks from a bank of n.
func BenchmarkFree(b *testing.B) {
	eachSize(b, func(b *testing.B, n int) {
		bk, _, _ := benchBank(b, n, batch)
		i := batch
		for b.Loop() {
			if i == batch {
				b.StopTimer()
				for _, name := range batchNames {
					_, _ = bk.Allocate(name, PageSize, "new")
				}
				i = 0
				b.StartTimer()
			}
			if err := bk.Free(batchNames[i]); err != nil {
				b.Fatal(err)
			}
			i++
		}
	})
}

// BenchmarkOpen measures a warm open of a full table (header, journal,
// every record's CRC, index build); the bytes are the metadata it validates.
func BenchmarkOpen(b *testing.B) {
	eachSize(b, func(b *testing.B, n int) {
		_, mem, g := benchBank(b, n, 0)
		b.SetBytes(int64(layoutOf(g).metaBytes))
		for b.Loop() {
			if _, rep, err := Open(mem, g); err != nil || !rep.Warm {
				b.Fatal(err, rep)
			}
		}
	})
}
