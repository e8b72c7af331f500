package upgrade

import (
	"encoding/binary"
	"errors"
	"fmt"
	"strconv"

	"github.com/hotrestart/tamago-hr/pmm/record"
)

// Downgrade prevention (MCUboot's security counter, TUF/Uptane's rollback
// attack). Every image's signed manifest carries a security version
// (make SECURITY_VERSION=, 0 by default), raised by hand when a release
// fixes a hole. The board keeps the highest security version it ever
// committed, its floor; `upgrade` refuses an image below it. An image that
// runs on trial does not raise the floor, so the automatic rollback of a
// failed trial to the image it replaced stays possible; the commit does.
//
// Where the floor lives. In the bank, as the record SecurityBlock: the bank
// survives every restart and reset that keeps DRAM, but not a cold boot.
// A blank bank is floor 0: after a power cycle the board accepts any signed
// image again (the one it boots, flashed, sets the floor anew). On silicon
// the place that survives a cold boot is the SNVS low-power domain, powered
// by the coin cell: its general purpose register SNVS_LPGPR (i.MX 6ULL
// Reference Manual, chapter "Secure Non-Volatile Storage (SNVS)", LP
// General Purpose Register) keeps 32 bits while the battery holds; or, for
// good, one-time-programmable fuses (OCOTP, chapter "On-Chip OTP
// Controller", a bank of general purpose fuses) burnt one bit per version,
// which no software can lower. Neither is used yet: QEMU emulates neither,
// and a fuse burnt by a test is burnt for ever.

// KeySecurity is the manifest key of the image's security version, a
// decimal uint32. A manifest without it (images built before it) is 0.
const KeySecurity = "security"

// ErrDowngrade is wrapped when an image's security version is below the
// board's floor.
var ErrDowngrade = errors.New("downgrade")

// Security returns the manifest's security version.
func (m Manifest) Security() (uint32, error) {
	s, ok := m[KeySecurity]
	if !ok {
		return 0, nil
	}
	v, err := strconv.ParseUint(s, 10, 32)
	if err != nil {
		return 0, fmt.Errorf("%w: %s=%q is not a security version (0 … 4294967295)", ErrManifest, KeySecurity, s)
	}
	return uint32(v), nil
}

// CheckSecurity refuses an image whose security version is below floor,
// the highest this board committed, in one line.
func (m Manifest) CheckSecurity(floor uint32) error {
	v, err := m.Security()
	if err != nil {
		return err
	}
	if v < floor {
		return fmt.Errorf("%w: %s has security version %d, below %d, the highest this board committed",
			ErrDowngrade, m[KeyVersion], v, floor)
	}
	return nil
}

// FloorAtBoot is the floor once an image of security version running has
// booted: raised to it, unless the image runs on trial (onTrial), which
// only its commit raises (FloorAtCommit).
func FloorAtBoot(floor, running uint32, onTrial bool) uint32 {
	if onTrial {
		return floor
	}
	return max(floor, running)
}

// FloorAtCommit is the floor once the trial of an image of security
// version committed ends.
func FloorAtCommit(floor, committed uint32) uint32 { return max(floor, committed) }

// Block of the floor in the bank: a pmm system block, allocated the first
// time the floor rises above 0, so a board that never saw a security
// version has no such block.
const SecurityBlock = "__SYS.secver"

// SecurityKind is the floor's record kind; its payload is the floor,
// uint32 little-endian.
var SecurityKind = record.Kind{Name: "security version floor", Magic: record.Magic("HRSV"), Version: 1}

// SecurityPayloadSize is the floor record's payload size in bytes.
const SecurityPayloadSize = 4

// MarshalFloor encodes floor as the record payload.
func MarshalFloor(floor uint32) []byte { return binary.LittleEndian.AppendUint32(nil, floor) }

// UnmarshalFloor decodes a payload MarshalFloor wrote.
func UnmarshalFloor(p []byte) (uint32, error) {
	if len(p) != SecurityPayloadSize {
		return 0, fmt.Errorf("security version floor: payload of %d bytes, want %d", len(p), SecurityPayloadSize)
	}
	return binary.LittleEndian.Uint32(p), nil
}
