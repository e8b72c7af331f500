package pmm

import "fmt"

// PageSize is the bank's allocation unit (the vmPageSize analog): every block
// is a whole number of pages.
const PageSize = 4096

// MaxNameLen bounds a block name in bytes; a name fits its 48-byte record
// field with its length kept separately.
const MaxNameLen = 47

// MaxKeyLen bounds a deletion key in bytes (the sizeof(PmmDelKey) analog).
const MaxKeyLen = 23

// ReservedPrefix marks names and keys that belong to the system (kernel and
// hot-restart controller); user calls may not create, free or free-all them.
const ReservedPrefix = "__SYS"

// Defaults of the pmm.rambankSize and pmm.maxBlocks tunables (ChorusOS 4.0).
const (
	DefaultSize      = 0x100000
	DefaultMaxBlocks = 30
)

// Limits on a geometry, so that every on-bank field fits in 32 bits and the
// metadata stays a small fraction of any sane bank.
const (
	MaxPages     = 1 << 24
	MaxMaxBlocks = 1 << 16
)

// Owner is a block's owner class: who may free it.
type Owner uint8

const (
	// User blocks may be freed by anyone with Free/FreeAll.
	User Owner = iota
	// System blocks (actor images, group lists) only by SysFree/SysFreeAll.
	System
)

func (o Owner) String() string {
	switch o {
	case User:
		return "user"
	case System:
		return "system"
	}
	return fmt.Sprintf("owner(%d)", uint8(o))
}

// BlockInfo describes one block; FirstPage counts from the start of the bank
// (so it is at least the number of metadata pages).
type BlockInfo struct {
	Name, Key        string
	Owner            Owner
	FirstPage, Pages int
}

// Stats summarises the bank for `pmm stat`. Pages = MetaPages + UsedPages +
// LostPages + FreePages; LargestFreeRun shows fragmentation (the biggest
// block that can still be allocated, in pages). Quarantined counts the
// damaged records Open set aside (their slots count in no Blocks), LostPages
// the pages they withhold that no block holds.
type Stats struct {
	Pages, UsedPages, FreePages, MetaPages, Blocks, MaxBlocks, LargestFreeRun int
	Quarantined, LostPages                                                    int
}

// OpenReport says how Open found the bank: warm (blocks kept) or cold
// (metadata initialised), and why, so the boot log shows the verdict.
type OpenReport struct {
	Warm   bool
	Reason string
}
