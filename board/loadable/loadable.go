// Package loadable is what an image is made of once loaded: its loadable
// segments (ELF PT_LOAD), as the hot upgrade stages a new image
// (kernel/upgrade) and as a board describes the running one for a rollback
// (kernel.Board's RunningImage), and the descriptor the board's copy
// routine reads to put a staged image in place.
//
// It is a leaf below both the kernel and the boards: both speak of these
// types, and a board may not import the kernel (board/README.md). The
// package imports nothing and builds on the host.
package loadable

// Segment is one ELF PT_LOAD segment: Data (its file bytes) goes to Addr,
// and the rest up to MemSize is zeroed (the BSS).
type Segment struct {
	Addr    uint32
	Data    []byte
	MemSize uint32
}

// The copy routine's descriptor, which kernel/upgrade's Stage writes and
// the board's copy routine reads with the MMU off: little-endian words
// {entry, n, n × {dst, src, filesz, memsz}}, in bytes.
const (
	DescHeader  = 8  // entry, n
	DescSegment = 16 // one segment: dst, src, filesz, memsz
	MaxSegments = 8  // the most segments a descriptor holds
)
