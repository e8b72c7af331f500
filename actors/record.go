package actors

import "github.com/hotrestart/tamago-hr/pmm/record"

// Every controller record is a pmm/record (A/B copies, sequence number,
// CRC-32C) in a one-page system block, so a reset in the middle of an
// update never loses it: the previous version is used, and the fact is
// reported. One magic per kind, so a block can never be read as another
// kind. The format is the one these records had before pmm/record existed:
// banks written by earlier images read as they are.
var (
	kindCtl   = record.Kind{Name: "controller record", Magic: record.Magic("RHC1"), Version: 1}
	kindGroup = record.Kind{Name: "group record", Magic: record.Magic("RHG1"), Version: 1}
	kindActor = record.Kind{Name: "actor record", Magic: record.Magic("RHA1"), Version: 1}
)

// recMaxLength is the largest payload of a record block.
const recMaxLength = recordSize/2 - record.Overhead
