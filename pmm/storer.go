package pmm

import "sync/atomic"

// storer is the only way metadata reaches the bank, so a test can log every
// store and replay any prefix of them as if power were cut.
//
// The model it embodies: stores issued between two fences may land in any
// order, and a store cut by a reset may leave any subset of its bytes written;
// fence is an ordering point (everything before it lands before anything
// after it). The commit protocol (journal.go) is correct under that model, so
// it needs neither word-atomic stores nor in-order write buffers.
type storer interface {
	store(off int, p []byte)
	zero(off, n int) // a store of n zero bytes (new blocks' data pages)
	fence()
}

// memStorer writes straight into the bank.
type memStorer struct {
	mem     []byte
	barrier func()
}

func (m *memStorer) store(off int, p []byte) { copy(m.mem[off:], p) }

func (m *memStorer) zero(off, n int) { clear(m.mem[off : off+n]) }

// fenceWord gives the default fence an atomic to execute: sync/atomic is a
// compiler barrier everywhere and a DMB on ARMv7.
var fenceWord uint32

func (m *memStorer) fence() {
	if m.barrier != nil {
		m.barrier()
		return
	}
	atomic.AddUint32(&fenceWord, 1)
}

// storeIfDiffers writes p only if the bank differs, so re-initialising an
// already-clean area costs no stores.
func storeIfDiffers(st storer, mem []byte, off int, p []byte) {
	if string(mem[off:off+len(p)]) != string(p) {
		st.store(off, p)
	}
}
