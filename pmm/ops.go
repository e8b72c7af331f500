package pmm

import "fmt"

// Allocate allocates-or-retrieves a User block (pmmAllocate).
//
// New name: size (>= 1) is rounded up to whole pages, the block is zeroed and
// tagged with key. Existing name: the existing block is returned with its
// contents untouched and key ignored; a size larger than the block is
// ErrSizeMismatch, a smaller or equal one is fine. A name or key beginning
// with ReservedPrefix, or an existing System block, is ErrPrivileged.
func (b *Bank) Allocate(name string, size int, key string) ([]byte, error) {
	return b.allocate(User, name, size, key, true)
}

// AllocateAs is the privileged Allocate (kernel, controller): any name and
// key, and the owner class of the block it creates. On retrieve, a User
// request for a System block is still ErrPrivileged; otherwise the existing
// owner and key stay as they are.
func (b *Bank) AllocateAs(owner Owner, name string, size int, key string) ([]byte, error) {
	if owner != User && owner != System {
		return nil, fmt.Errorf("%w: %d", ErrBadOwner, owner)
	}
	return b.allocate(owner, name, size, key, false)
}

func (b *Bank) allocate(owner Owner, name string, size int, key string, user bool) ([]byte, error) {
	if err := checkName(name); err != nil {
		return nil, err
	}
	if err := checkKey(key); err != nil {
		return nil, err
	}
	if size < 1 {
		return nil, fmt.Errorf("%w: %d (want at least 1 byte)", ErrBadSize, size)
	}
	if user && reserved(name) {
		return nil, fmt.Errorf("%w: name %q has the reserved prefix %s", ErrPrivileged, name, ReservedPrefix)
	}
	if user && reserved(key) {
		return nil, fmt.Errorf("%w: key %q has the reserved prefix %s", ErrPrivileged, key, ReservedPrefix)
	}
	n := pagesFor(size)
	b.mu.Lock()
	defer b.mu.Unlock()
	if i, ok := b.byName[name]; ok {
		s := &b.slots[i]
		if owner == User && s.owner == System {
			return nil, fmt.Errorf("%w: block %q is a system block", ErrPrivileged, name)
		}
		if n > s.pages {
			return nil, fmt.Errorf("%w: %q is %d pages (%#x bytes), asked for %#x bytes",
				ErrSizeMismatch, name, s.pages, s.pages*PageSize, size)
		}
		return b.block(i), nil
	}
	if len(b.free) == 0 {
		held := ""
		if len(b.quar) > 0 {
			held = fmt.Sprintf(", %d by quarantined records", len(b.quar))
		}
		return nil, fmt.Errorf("%w: all %d in use%s", ErrTooManyBlocks, b.lay.maxBlocks, held)
	}
	first, largest, ok := b.findRun(n)
	if !ok {
		return nil, fmt.Errorf("%w: %q needs %d pages, largest free run is %d", ErrNoSpace, name, n, largest)
	}
	i := b.free[len(b.free)-1]
	s := slot{used: true, owner: owner, first: first, pages: n, name: name, key: key}
	// The pages are free until the commit, so zeroing them first is safe.
	b.st.zero(first*PageSize, n*PageSize)
	b.commit(&jop{kind: opAlloc, slots: []int{i}, rec: encodeRecord(&s)})
	b.free = b.free[:len(b.free)-1]
	b.insert(i, s)
	return b.block(i), nil
}

// Free frees one User block by name (pmmFree), including blocks tagged with
// a group key. A name with ReservedPrefix or a System block is ErrPrivileged.
// When no block has the name, a quarantined record whose name reads name is
// released instead (see Release).
func (b *Bank) Free(name string) error { return b.freeName(name, true) }

// SysFree frees any block by name, or releases a quarantined record by the
// name it reads.
func (b *Bank) SysFree(name string) error { return b.freeName(name, false) }

func (b *Bank) freeName(name string, user bool) error {
	if err := checkName(name); err != nil {
		return err
	}
	if user && reserved(name) {
		return fmt.Errorf("%w: name %q has the reserved prefix %s", ErrPrivileged, name, ReservedPrefix)
	}
	b.mu.Lock()
	defer b.mu.Unlock()
	i, ok := b.byName[name]
	if !ok {
		if b.releaseName(name, user) {
			return nil
		}
		return fmt.Errorf("%w: block %q", ErrNotFound, name)
	}
	if user && b.slots[i].owner == System {
		return fmt.Errorf("%w: block %q is a system block", ErrPrivileged, name)
	}
	b.freeSlots([]int{i})
	return nil
}

// FreeAll frees every block tagged with key (pmmFreeAll) and returns how
// many. A key with ReservedPrefix (e.g. the restart-group key) is
// ErrPrivileged, and so is a key that tags any System block (nothing is
// freed then); no block with key is ErrNotFound.
func (b *Bank) FreeAll(key string) (int, error) { return b.freeKey(key, true) }

// SysFreeAll frees every block tagged with key, whoever owns it; 0, nil when
// there is none.
func (b *Bank) SysFreeAll(key string) (int, error) { return b.freeKey(key, false) }

func (b *Bank) freeKey(key string, user bool) (int, error) {
	if err := checkKey(key); err != nil {
		return 0, err
	}
	if user && reserved(key) {
		return 0, fmt.Errorf("%w: key %q has the reserved prefix %s", ErrPrivileged, key, ReservedPrefix)
	}
	b.mu.Lock()
	defer b.mu.Unlock()
	var idx []int
	for _, i := range b.order {
		s := &b.slots[i]
		if s.key != key {
			continue
		}
		if user && s.owner == System {
			return 0, fmt.Errorf("%w: key %q tags system block %q", ErrPrivileged, key, s.name)
		}
		idx = append(idx, i)
	}
	if len(idx) == 0 {
		if user {
			return 0, fmt.Errorf("%w: no block with key %q", ErrNotFound, key)
		}
		return 0, nil
	}
	b.freeSlots(idx)
	return len(idx), nil
}

// freeSlots frees the slots, blocks' or quarantined ones, in one atomic
// step.
func (b *Bank) freeSlots(idx []int) {
	b.commit(&jop{kind: opFree, slots: idx})
	var blocks, quar []int
	for _, i := range idx {
		if b.slots[i].used {
			blocks = append(blocks, i)
		} else {
			quar = append(quar, i)
		}
	}
	if len(blocks) > 0 {
		b.remove(blocks)
	}
	b.forget(quar)
}

// Format discards every block (explicit cold start, the `reboot` command):
// one atomic free of all blocks and quarantined records, then a rewrite of whatever metadata is not
// exactly as this package writes it, then a Verify so that memory that does
// not hold what was written is reported.
func (b *Bank) Format() error {
	b.mu.Lock()
	defer b.mu.Unlock()
	idx := append([]int(nil), b.order...)
	for _, q := range b.quar {
		idx = append(idx, q.Slot)
	}
	if len(idx) > 0 {
		b.freeSlots(idx)
	}
	b.initMeta(false)
	return b.verify()
}

// Lookup returns an existing block without allocating (ErrNotFound
// otherwise). It does not check the owner: it is for the kernel and console.
func (b *Bank) Lookup(name string) ([]byte, BlockInfo, error) {
	if err := checkName(name); err != nil {
		return nil, BlockInfo{}, err
	}
	b.mu.Lock()
	defer b.mu.Unlock()
	i, ok := b.byName[name]
	if !ok {
		return nil, BlockInfo{}, fmt.Errorf("%w: block %q", ErrNotFound, name)
	}
	return b.block(i), b.slots[i].info(), nil
}
