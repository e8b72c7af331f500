package pmm

import "errors"

// Sentinel errors. Every error returned by this package wraps exactly one of
// them (fmt.Errorf("%w: detail")), so callers test with errors.Is and operators
// still read what was wrong.
var (
	// ErrNotFound: no block has that name (or, for FreeAll, that key).
	ErrNotFound = errors.New("pmm: not found")
	// ErrNoSpace: no free run of pages is long enough.
	ErrNoSpace = errors.New("pmm: no space in bank")
	// ErrTooManyBlocks: the table already holds MaxBlocks blocks.
	ErrTooManyBlocks = errors.New("pmm: too many blocks")
	// ErrBadName: empty, too long, or not printable ASCII without spaces.
	ErrBadName = errors.New("pmm: bad name")
	// ErrBadKey: empty, too long, or not printable ASCII without spaces.
	ErrBadKey = errors.New("pmm: bad key")
	// ErrBadSize: a requested size below one byte.
	ErrBadSize = errors.New("pmm: bad size")
	// ErrSizeMismatch: a retrieve asked for more than the existing block holds.
	ErrSizeMismatch = errors.New("pmm: size larger than existing block")
	// ErrPrivileged: the K_EPRIV analog; a user call touched the system's
	// names, keys or blocks.
	ErrPrivileged = errors.New("pmm: privileged")
	// ErrCorrupt: the bank's metadata in memory no longer validates.
	ErrCorrupt = errors.New("pmm: corrupt bank")
	// ErrGeometry: a geometry that cannot describe a bank, or a region whose
	// length is not the geometry's size.
	ErrGeometry = errors.New("pmm: bad geometry")
	// ErrBadOwner: an owner class other than User or System.
	ErrBadOwner = errors.New("pmm: bad owner")
)
