package actors

import (
	"encoding/binary"
	"fmt"
)

// Explicit migrations: for a change of meaning that the rules by field name
// cannot guess (units, one field split in two), a typed function from the
// old type to the new, registered with the programs. Load applies the ones
// whose old layout is the stored one, chained (v1 → v2 → v3), then the
// rules by name from the last type reached to T when that is not T itself;
// the result is committed, so a function runs once, not at every start.

// maxChain bounds a chain of explicit migrations.
const maxChain = 16

// explicitMig is one registered function, on encoded values.
type explicitMig struct {
	from, to stateType
	fn       func(src, dst []byte) error
}

// RegisterMigration registers f, which converts a state of type Old into
// type New, with the image's programs: a Load of a block written as Old
// (the same layout: field names, kinds, array lengths; type names do not
// matter, so Old is usually a frozen copy of the old type under another
// name) runs f instead of the rules by name. An error from f fails that
// Load with it (ErrStateMismatch) and leaves the block as it was. One
// function per old layout (ErrNameTaken for a second); both types must be
// state types (ErrStateType).
func RegisterMigration[Old, New any](p *Programs, f func(Old) (New, error)) error {
	from, err := stateTypeOf[Old]()
	if err != nil {
		return err
	}
	to, err := stateTypeOf[New]()
	if err != nil {
		return err
	}
	if f == nil || sameLayout(from.desc, to.desc) {
		return fmt.Errorf("%w: a migration from %s to %s that changes nothing", ErrStateType, from.name, to.name)
	}
	m := explicitMig{from: from, to: to, fn: func(src, dst []byte) error {
		var old Old
		if _, err := binary.Decode(src, le, &old); err != nil {
			return err
		}
		v, err := f(old)
		if err != nil {
			return err
		}
		_, err = binary.Encode(dst, le, &v)
		return err
	}}
	p.mu.Lock()
	defer p.mu.Unlock()
	for _, o := range p.migs {
		if sameLayout(o.from.desc, from.desc) {
			return fmt.Errorf("%w: a migration from the layout of %s is registered already (from %s)", ErrNameTaken, from.name, o.from.name)
		}
	}
	p.migs = append(p.migs, m)
	return nil
}

// migrationFrom returns the registered migration whose old layout is d.
func (p *Programs) migrationFrom(d *tdesc) (explicitMig, bool) {
	if p == nil {
		return explicitMig{}, false
	}
	p.mu.RLock()
	defer p.mu.RUnlock()
	for _, m := range p.migs {
		if sameLayout(m.from.desc, d) {
			return m, true
		}
	}
	return explicitMig{}, false
}

// applyExplicit runs the chain of registered migrations from the stored
// layout toward want. It returns the value and layout reached (the input
// when none applies) and the functions run, for the log line.
func (p *Programs) applyExplicit(val []byte, from *tdesc, want *tdesc) ([]byte, *tdesc, []string, error) {
	var ran []string
	for range maxChain {
		if sameLayout(from, want) {
			break
		}
		m, ok := p.migrationFrom(from)
		if !ok {
			break
		}
		out := make([]byte, m.to.size)
		if err := runMigration(m.fn, val, out); err != nil {
			return nil, nil, nil, fmt.Errorf("the migration from %s to %s: %w", m.from.name, m.to.name, err)
		}
		val, from = out, m.to.desc
		ran = append(ran, m.from.name+" → "+m.to.name)
	}
	return val, from, ran, nil
}

// runMigration runs a user's migration function: a panic in it is that
// Load's error, like any other (Load runs it with the controller's lock
// held: a panic unwinding past it would wedge every group).
func runMigration(fn func(src, dst []byte) error, src, dst []byte) (err error) {
	defer func() {
		if r := recover(); r != nil {
			err = fmt.Errorf("panicked: %v", r)
		}
	}()
	return fn(src, dst)
}
