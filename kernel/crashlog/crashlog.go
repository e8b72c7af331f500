// Package crashlog is the console log ring kept in the bank, so that what a
// boot printed — a fatal traceback included — can be read after the reset
// that followed (`dmesg`). Put is called for every byte the runtime prints,
// from any stack, with interrupts possibly masked: it never allocates,
// locks or fails.
package crashlog

import "encoding/binary"

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

// Attach adopts mem (a whole block) and returns the log the previous boot
// left in it, oldest byte first; the ring then starts empty.
func Attach(mem []byte) (*Ring, []byte) {
	r := &Ring{mem: mem, data: mem[hdr:]}
	prev, _ := Read(mem)
	binary.LittleEndian.PutUint32(mem[offPos:], 0)
	binary.LittleEndian.PutUint32(mem, magic)
	return r, prev
}

// Read returns the log held in mem (a whole block) without adopting it,
// oldest byte first; ok is false when mem holds no log (tools/bankdump).
func Read(mem []byte) (log []byte, ok bool) {
	if len(mem) <= hdr || binary.LittleEndian.Uint32(mem) != magic {
		return nil, false
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

// Bytes returns what this boot has logged so far, oldest first.
func (r *Ring) Bytes() []byte { return r.snapshot(r.head) }

func (r *Ring) snapshot(head uint32) []byte {
	n := uint32(len(r.data))
	if head <= n {
		return append([]byte(nil), r.data[:head]...)
	}
	start := head % n
	out := make([]byte, 0, n)
	out = append(out, r.data[start:]...)
	return append(out, r.data[:start]...)
}
