// Package pmm is the persistent memory manager: named, page-granular blocks
// in the bank, a fixed RAM region that survives warm resets (ChorusOS 4.0
// pmmAllocate/pmmFree/pmmFreeAll). It is pure Go over a []byte, so the host
// tests it and the firmware hands it the real bank.
//
// # Semantics
//
// A block is a contiguous run of whole pages (PageSize); requests round up.
// Names are 1..MaxNameLen bytes, keys 1..MaxKeyLen bytes, both printable
// ASCII 0x21..0x7e. Each block has an owner class, User or System.
//
//   - Allocate allocates or retrieves. On retrieve the block comes back with
//     its contents untouched; the key is ignored; a size larger than the block
//     is ErrSizeMismatch, smaller or equal is fine. A new block reads as zeros.
//     The slice is exactly the block (len == cap), so a program cannot run
//     past it.
//   - Names and keys starting with ReservedPrefix ("__SYS") are the system's:
//     user calls (Allocate, Free, FreeAll) refuse them with ErrPrivileged.
//   - Free frees one User block by name, including blocks tagged with a
//     reserved group key (created for a user by AllocateAs(User, …)).
//     FreeAll frees every block with a key; a reserved key (the restart-group
//     key) or a key that tags a System block is refused and frees nothing.
//     Users can never free System blocks.
//   - AllocateAs, SysFree and SysFreeAll are the privileged calls of the kernel
//     and hot-restart controller: any name or key, chosen owner.
//   - Every error wraps one sentinel (ErrNotFound, ErrPrivileged, …) for
//     errors.Is, with a detail for the operator.
//
// # On-bank format, layout version 1
//
// Metadata occupies the first pages of the bank and comes out of it: for
// the default 1 MiB, 30-block bank that is 1 page of 256 (255 data pages); a
// single page holds up to 40 blocks; 3000 blocks take 74 pages. Everything
// else is block data. All fields are little-endian; CRCs are CRC-32C
// (Castagnoli).
//
//	offset             size  field
//	header (64 bytes at 0; written at initialisation only)
//	0                  4     magic 0x4d505248 ("HRPM")
//	4                  2     layout version (1)
//	6                  2     header size (64)
//	8                  4     page size (4096)
//	12                 4     bank size in pages        } the geometry; a bank
//	16                 4     maxBlocks                 } recorded with another
//	20                 4     metadata pages            } one opens cold, saying
//	24                 4     journal offset (64)       } what differs
//	28                 4     journal length J
//	32                 4     table offset T = 64 + J
//	36                 4     record size (96)
//	40                 20    reserved, zero
//	60                 4     CRC of bytes 0..59
//	journal (J = 16 + max(100, 4*maxBlocks), rounded up to 8, at 64)
//	64+0               4     state: 0x54494d43 ("CMIT") = committed; else idle
//	64+4               4     CRC of bytes 64+8 .. end of payload
//	64+8               4     operation: 1 fill one slot, 2 blank slots
//	64+12              4     count of slots
//	64+16              4*n   slot indices
//	64+16+4n           96    op 1 only: the record to write
//	block table (maxBlocks records of 96 bytes at T; slot i at T+96*i)
//	+0                 4     state: 0 free (whole record zero), 0x4b434c42 ("BLCK") used
//	+4                 4     first page (from the bank start; >= metadata pages)
//	+8                 4     pages (>= 1, run inside the bank)
//	+12                1     owner: 0 user, 1 system
//	+13                1     name length (1..47)
//	+14                1     key length (1..23)
//	+15                1     reserved, zero
//	+16                48    name, zero padded
//	+64                24    key, zero padded
//	+88                4     reserved, zero
//	+92                4     CRC of record bytes 0..91
//
// Open checks, in order: blank header, magic, version, header CRC, geometry,
// derived layout fields, the journal (redoing a committed one), then every
// record (CRC, fields, page range), duplicate names and overlapping runs.
// What fails decides how much is lost (see Damage below): a failure of the
// bank's own metadata is the cold reason (e.g. "bad magic 0x…", "layout
// version 3 unsupported", "geometry differs: size 0x100000 in bank, 0x200000
// in image"); a record that fails is quarantined and the bank opens warm.
// Cold initialisation formats the metadata only; data pages are left as
// they were. The unused tail of the last metadata page and an idle
// journal's body are not state and not checked.
//
// # Damage
//
// Like pstore/ramoops and littlefs, the bank keeps what is intact. Damage
// is told apart by what it hits:
//
//   - The header (identity and geometry) is the bank's: without it no
//     record can be placed or trusted, so the bank opens cold with the
//     reason. One exception: a header one bit away from the one this
//     geometry writes is that header with a bit flipped, and is rewritten
//     (the warm report says "header repaired (…)"); any valid header of
//     another geometry or layout version is at least three bits away (the
//     field and its CRC differ), so one flip never adopts a foreign bank.
//     A bank also opens cold for a committed journal whose own CRC fails
//     (the table may hold half of an operation that can be neither
//     finished nor undone), and for two records that are each valid but
//     contradict each other (one name twice, overlapping runs): no single
//     damaged record explains them.
//   - A table record that fails any check (state, CRC, fields, page range)
//     is one record's damage: it is quarantined. Its block is lost and
//     reported (Quarantined: slot, the name as read when it is printable,
//     the check that failed); every other block is kept with its data. The
//     slot is not reused, and the page run the record claims (clipped to
//     the data area and at the next block's first page, as blocks never
//     overlap; none when it starts outside) is given to no new block,
//     so a block that is only mislabelled keeps its contents until the
//     operator releases it: Release(slot), Free/SysFree of the name it
//     reads, or Format. Stats counts Quarantined records and LostPages.
//     The OpenReport says so: "valid, 5 blocks; 1 damaged records
//     quarantined: slot 3 "kv" (pages 5..7 withheld; bad checksum …)".
//
// A torn write is not damage: the journal makes every table update
// all-or-nothing (below), so an interrupted operation is redone or never
// happened, and no record fails its checks after a reset. A record that
// fails them was changed outside the protocol (a stray write, decayed RAM,
// a debugger). Damage done after Open is Verify's to report; the next Open
// quarantines it.
//
// # Crash consistency
//
// A reset may strike between any two metadata stores and inside one. The
// model: every store goes through one internal writer (storer); stores issued
// between two fences may land in any order and a cut store may land any
// subset of its bytes; a fence orders what precedes it before what follows.
// A store is at most one record copy: the 4-byte journal state, a 96-byte
// table record, the 64-byte header, the journal (up to J bytes) or, for a new
// block, the zeroing of its pages. Under that model each operation is
// all-or-nothing:
//
//  1. write the journal body (operation, slots, record, CRC)      fence
//  2. write journal state = "CMIT"                                 fence
//  3. write the table records (idempotent, so redo-able)          fence
//  4. write journal state = 0                                     fence
//
// Before step 2 lands the table is untouched: Open finds the state before.
// Once it has landed Open redoes step 3 (the state after), also if a reset
// strikes during that redo. The state word counts as committed only when all
// four bytes are "CMIT", all non-zero, so a torn step 2 reads as not
// committed and a torn step 4 as done; neither needs word-atomic stores.
// Initialising cold first zeroes the magic and writes the header back last,
// so an interrupted initialisation opens cold again and never revives old
// records. Format is one such all-or-nothing free of every block, followed by
// rewrites of whatever metadata differs from the canonical bytes.
//
// Per-record CRCs catch corruption of committed state (decayed or stray
// writes): Open quarantines the record (or goes cold for the header), and
// Verify reports it at any time.
//
// The exhaustive test (crash_test.go) logs every store of every operation
// kind and reopens the bank cut after each store, inside each store at every
// byte (every n/64th for stores over 127 bytes), and with subsets of each
// fence epoch landed, then cuts Open's own recovery the same way; it does
// it all again with one record damaged beforehand (and for releasing it),
// requiring the same quarantine and the withheld pages' data after every
// cut. TestBitFlips flips each metadata bit of a populated bank in turn: a
// header bit is repaired, a record bit loses that record's block only.
// FuzzOpen feeds arbitrary metadata to Open; FuzzDamageOneRecord arbitrary
// damage to one record.
package pmm
