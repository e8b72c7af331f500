// Package crashlog is the console log ring kept in the bank, so that what a
// boot printed — a fatal traceback included — can be read after the reset
// that followed (`dmesg`). Put is called for every byte the runtime prints,
// from any stack, with interrupts possibly masked: it never allocates,
// locks or fails.
package crashlog

import (
	"bytes"
	"encoding/binary"
)

// Block names in the bank.
const (
	BlockName = "__SYS.dmesg"
	BlockKey  = "__SYS.kern"
)

// header: magic u32 | head u32 (bytes ever written, mod 2^32)
const (
	magic  = 0x48524c47 // "HRLG"
	hdr    = 8
	offPos = 4
)

// Ring is a byte ring over a bank block.
type Ring struct {
	mem  []byte
	data []byte
	head uint32
}

// Log is a snapshot of a ring: whole lines, oldest first.
type Log struct {
	Text []byte
	// Dropped counts the older bytes the ring overwrote, the partial line
	// it would otherwise start with included.
	Dropped uint64
	// Found is false when the block held no log (a new block: on a cold
	// bank, the previous log was lost with it).
	Found bool
}

// Attach adopts mem (a whole block) and returns the log the previous boot
// left in it; the ring then starts empty.
func Attach(mem []byte) (*Ring, Log) {
	r := &Ring{mem: mem, data: mem[hdr:]}
	var prev Log
	if binary.LittleEndian.Uint32(mem) == magic {
		head := binary.LittleEndian.Uint32(mem[offPos:])
		prev = r.snapshot(head)
	}
	binary.LittleEndian.PutUint32(mem[offPos:], 0)
	binary.LittleEndian.PutUint32(mem, magic)
	return r, prev
}

// Read returns the log held in mem (a whole block) without adopting it,
// oldest byte first; ok is false when mem holds no log (tools/bankdump).
func Read(mem []byte) (log Log, ok bool) {
	if len(mem) <= hdr || binary.LittleEndian.Uint32(mem) != magic {
		return Log{}, false
	}
	r := &Ring{mem: mem, data: mem[hdr:]}
	return r.snapshot(binary.LittleEndian.Uint32(mem[offPos:])), true
}

// Put appends one byte.
func (r *Ring) Put(c byte) {
	n := uint32(len(r.data))
	r.data[r.head%n] = c
	r.head++
	binary.LittleEndian.PutUint32(r.mem[offPos:], r.head)
}

// Bytes returns what this boot has logged so far.
func (r *Ring) Bytes() Log { return r.snapshot(r.head) }

// snapshot copies the ring out; once it has wrapped, its oldest line is
// cut at an unknown point, so the copy starts after the first line end.
func (r *Ring) snapshot(head uint32) Log {
	n := uint32(len(r.data))
	if head <= n {
		return Log{Text: append([]byte(nil), r.data[:head]...), Found: true}
	}
	start := head % n
	out := make([]byte, 0, n)
	out = append(out, r.data[start:]...)
	out = append(out, r.data[:start]...)
	cut := bytes.IndexByte(out, '\n') + 1 // 0 without a line end: all of it is one cut line
	if cut == 0 {
		cut = len(out)
	}
	return Log{Text: out[cut:], Dropped: uint64(head-n) + uint64(cut), Found: true}
}
