// Package record is the one crash-safe record format of the bank: a small,
// versioned payload kept in a pmm block so that a reset in the middle of an
// update leaves either the previous or the new version, never a torn one.
// The boot record, the controller, group and actor records and the SSH host
// key all use it; pmm makes the block table crash-consistent, this package
// does the same for what a system block holds. Pure Go over a []byte.
//
// # Format
//
// The block is split in two halves, copy A (first) and copy B. A write goes
// to the copy that does not hold the newest valid version, so the newest
// version is never overwritten. Every field is little-endian:
//
//	offset  size  field
//	0       4     magic: the record's kind (Kind.Magic; by convention four ASCII bytes)
//	4       2     version: the payload's layout version (Kind.Version)
//	6       2     length n of the payload, ≤ Capacity(len(block))
//	8       4     sequence number, 1, 2, … 2³²−1, 1, … (0 is never written)
//	12      n     payload
//	12+n    4     CRC-32C (Castagnoli) of bytes 0 … 12+n−1
//
// Load takes, of the copies whose magic and CRC are right, the one with the
// newer sequence number, compared modulo 2³² (int32(a−b) > 0): the two
// copies are always one write apart, so the comparison survives the wrap.
// A copy of all zero bytes was never written.
//
// # Crash consistency
//
// The model is pmm's (pmm/doc.go): the stores of one write may land in any
// order and a reset may leave any subset of the bytes they change; a fence
// (a sync/atomic operation: a DMB on ARMv7) after each write orders it
// before the next one. A torn copy fails its CRC (or, if every byte that
// landed equals the old one, it is the older version and loses the sequence
// comparison), and the other copy, untouched, holds the previous version.
// cut_test.go proves it by enumeration: for writes into a blank block, in
// the steady state, at the sequence wrap, with a growing and a shrinking
// payload and after a torn write, it reopens the block with every subset of
// the changed bytes landed (all 2ⁿ subsets up to n = 16 changed bytes, and
// every prefix, suffix, single byte, all-but-one and 4096 random subsets
// above), and requires the previous or the new version each time, then a
// working next write. Damage is not a torn write, and costs at most the
// copy it hits: TestBitFlipCostsOneCopy flips every bit of a block holding
// two versions and reads the newest, or the previous one when the flip hit
// the newest copy, never nothing (pmm quarantines a damaged table record
// the same way: see pmm's doc, Damage).
//
// # Errors
//
// Load reports ErrEmpty for a block never written, ErrVersion when the
// newest valid copy has another payload version (a format this image cannot
// read: reported, never decoded), and ErrInvalid when no copy is valid, with
// what each copy holds ("copy A: magic "TBRH", want "HRB2"; copy B: never
// written"). A record whose block is too small fails Load and every Write
// with ErrBlock. When one copy is valid and the other is damaged, Load uses
// the valid one and says so in Note.
//
// # Records written before this package
//
// Before this package the boot record (magic "TBRH" as bytes,
// CRC-32 IEEE) and the SSH host key ("HRSSHK01", a single copy) had formats
// of their own; the controller, group and actor records already had this
// exact format, so they are read as they are. An image with this package
// does not migrate the two others: their kinds now have new magics, so such
// a record is reported as a foreign magic and not trusted. The bank itself
// opens warm and every block is kept; the boot record starts its counters
// again (a boot line before the banner says why) and the host key is made
// anew (the boot log says why, and shows the new fingerprint). On a board, a new image arrives by a power
// cycle, which loses the bank anyway; the rule matters for QEMU snapshots
// and RAM dumps.
package record
