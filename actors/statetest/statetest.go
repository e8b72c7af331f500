// Package statetest lets a service's own host tests check how its typed
// persistent state migrates from one version of its type to the next,
// without a board or QEMU: the old value is committed into a block of a
// bank kept in a byte slice, exactly as actors.Load would on the board,
// and loaded back as the new type by the same code.
//
//	got, note, err := statetest.Migrate[odoStateV1, odoState](odoStateV1{Meters: 120})
//
// The returned note is the line the firmware logs for that migration
// ("migrated from …: dropped …; added …").
package statetest

import (
	"fmt"
	"strings"

	"github.com/hotrestart/tamago-hr/actors"
	"github.com/hotrestart/tamago-hr/pmm"
)

// bankSize is the bank Migrate works in: room for the largest state.
const bankSize = 256 << 10

// Migrate commits old as state of type Old in a new bank, then loads the
// block as New and returns its value and the note the firmware would log.
// An error is the one actors.Load gives for that block on the board
// (actors.ErrStateMismatch when a field cannot be migrated, naming it).
func Migrate[Old, New any](old Old) (New, string, error) {
	return MigrateWith[Old, New](nil, old)
}

// MigrateWith is Migrate with the explicit migrations registered in p
// (actors.RegisterMigration), as the firmware's Load applies them.
func MigrateWith[Old, New any](p *actors.Programs, old Old) (New, string, error) {
	var zero New
	b, err := Bank()
	if err != nil {
		return zero, "", err
	}
	if err := Write(b, "STATE@1", old); err != nil {
		return zero, "", err
	}
	return ReadWith[New](b, "STATE@1", p)
}

// Bank returns a new, empty bank in a byte slice.
func Bank() (*pmm.Bank, error) {
	b, _, err := pmm.Open(make([]byte, bankSize), pmm.Geometry{Size: bankSize, MaxBlocks: 16})
	return b, err
}

// Write commits v as the state in block name of b (allocated as Load
// would for type T), as a service of that version would.
func Write[T any](b *pmm.Bank, name string, v T) error {
	size, err := actors.BlockSize[T]()
	if err != nil {
		return err
	}
	blk, err := b.Allocate(name, size, "statetest")
	if err != nil {
		return err
	}
	s, _, err := actors.LoadBlock[T](blk, name)
	if err != nil {
		return err
	}
	if err := s.Commit(v); err != nil {
		return fmt.Errorf("statetest: committing %s: %w", name, err)
	}
	return nil
}

// Read loads block name of b as type T, as a service of that version
// would at its start: migrated (and the migration committed) if it holds
// another layout. note is the line the firmware logs.
func Read[T any](b *pmm.Bank, name string) (v T, note string, err error) {
	return ReadWith[T](b, name, nil)
}

// ReadWith is Read with the explicit migrations registered in p.
func ReadWith[T any](b *pmm.Bank, name string, p *actors.Programs) (v T, note string, err error) {
	blk, _, err := b.Lookup(name)
	if err != nil {
		return v, "", err
	}
	s, note, err := actors.LoadBlockWith[T](blk, name, p)
	if err != nil {
		return v, "", err
	}
	return s.Get(), note, nil
}

// Check says whether T can be kept as state in the bank, as Register
// (actors.WithState) and Load check it on the board: nil, or
// actors.ErrStateType naming the field that cannot (a string, slice, map
// or pointer; int, uint or uintptr; an unexported field). Call it from the
// service's own go test for each of its state types.
func Check[T any]() error {
	_, err := actors.StateLayout[T]()
	return err
}

// CheckPrograms runs register (what kernel.Config.Programs holds) on a
// new registry and returns the refusals Register records for it, joined
// (actors.ErrProgramRefused, naming each program and field), or the
// error register returns itself: the check of every declared state of an
// image, on the host.
func CheckPrograms(register func(*actors.Programs) error) error {
	var p actors.Programs
	if err := register(&p); err != nil {
		return err
	}
	if r := p.Refused(); len(r) > 0 {
		return fmt.Errorf("%w: %s", actors.ErrProgramRefused, strings.Join(r, "; "))
	}
	return nil
}
