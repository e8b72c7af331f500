// Package bootrec keeps the system-wide boot record in a pmm system block:
// boot and reset counters, why the last reset happened (written before that
// reset: QEMU's reset-reason registers read 0), which path it took, a
// persistent clock, and the recent site restarts for the crash-loop breaker.
//
// The block holds two slots; Save writes the older one with a higher
// sequence number and a CRC-32, so a reset during Save leaves the previous
// record readable.
package bootrec

import (
	"encoding/binary"
	"errors"
	"fmt"
	"hash/crc32"

	"github.com/hotrestart/tamago-hr/pmm"
)

// Block names in the bank.
const (
	BlockName = "__SYS.boot"
	BlockKey  = "__SYS.kern"
)

// History is how many site restart stamps are kept.
const History = 16

const (
	magic    = 0x48524254 // "HRBT"
	version  = 1
	slotSize = 1024
	maxText  = 200
)

// Path is how the previous boot ended.
type Path uint8

const (
	PathNone     Path = iota // power-on or unknown
	PathHot                  // hot reboot from the image in memory
	PathWarm                 // WDOG1 warm reset, bank kept
	PathCold                 // explicit cold reboot, bank discarded
	PathWatchdog             // breadcrumb left while the watchdog runs
	numPaths
)

func (p Path) String() string {
	return [...]string{"none", "hot reboot", "warm reset", "cold reboot", "watchdog reset"}[p%numPaths]
}

// Record is the boot record's content.
type Record struct {
	Boots        uint32 // boots since the bank was formatted
	SiteRestarts uint32
	HotReboots   uint32
	WarmResets   uint32
	Watchdogs    uint32 // watchdog resets and resets with no intent recorded
	ClockMs      uint64 // persistent clock: uptime summed over boots
	Pending      bool   // Intent and Path describe a reset that was requested
	Site         bool   // the requested reset was a site restart
	SafeMode     bool   // the crash-loop breaker tripped on this boot
	Path         Path
	Intent       string          // who and why, ≤ 200 bytes
	Restarts     [History]uint64 // ClockMs of recent site restarts, newest first
}

// Store reads and writes the record in its block.
type Store struct {
	mem []byte
	seq uint32
}

// ErrNoRecord means the block held no valid slot: a fresh bank.
var ErrNoRecord = errors.New("bootrec: no valid record")

// Open allocates or retrieves the block and returns the newest valid record
// (ErrNoRecord with a zero record when there is none).
func Open(b *pmm.Bank) (*Store, Record, error) {
	mem, err := b.AllocateAs(pmm.System, BlockName, 2*slotSize, BlockKey)
	if err != nil {
		return nil, Record{}, fmt.Errorf("bootrec: %w", err)
	}
	s := &Store{mem: mem}
	var best Record
	found := false
	for i := 0; i < 2; i++ {
		r, seq, ok := decode(mem[i*slotSize : (i+1)*slotSize])
		if ok && (!found || seq > s.seq) {
			best, s.seq, found = r, seq, true
		}
	}
	if !found {
		return s, Record{}, ErrNoRecord
	}
	return s, best, nil
}

// Save writes r into the older slot.
func (s *Store) Save(r Record) {
	s.seq++
	slot := s.mem[int(s.seq%2)*slotSize:][:slotSize]
	encode(slot, r, s.seq)
}

// NoteSiteRestart pushes now into the restart history.
func (r *Record) NoteSiteRestart(now uint64) {
	copy(r.Restarts[1:], r.Restarts[:History-1])
	r.Restarts[0] = now
}

// RecentSiteRestarts counts history stamps within window ms of now.
func (r *Record) RecentSiteRestarts(now, window uint64) int {
	n := 0
	for _, t := range r.Restarts {
		if t != 0 && t <= now && now-t <= window {
			n++
		}
	}
	return n
}

// layout of a slot (little endian):
//
//	0  magic u32 | 4 version u16 | 6 flags u16 | 8 seq u32 | 12 boots u32
//	16 site u32 | 20 hot u32 | 24 warm u32 | 28 wdog u32 | 32 clock u64
//	40 path u8 | 41 intent len u8 | 42 intent [200] | 242 restarts [16]u64
//	370 … crc32 of bytes [0, 370) at 370
const (
	offIntent   = 42
	offRestarts = offIntent + maxText
	offCRC      = offRestarts + 8*History
)

const (
	flagPending = 1 << iota
	flagSite
	flagSafe
)

func encode(p []byte, r Record, seq uint32) {
	le := binary.LittleEndian
	var flags uint16
	if r.Pending {
		flags |= flagPending
	}
	if r.Site {
		flags |= flagSite
	}
	if r.SafeMode {
		flags |= flagSafe
	}
	var buf [offCRC + 4]byte
	le.PutUint32(buf[0:], magic)
	le.PutUint16(buf[4:], version)
	le.PutUint16(buf[6:], flags)
	le.PutUint32(buf[8:], seq)
	le.PutUint32(buf[12:], r.Boots)
	le.PutUint32(buf[16:], r.SiteRestarts)
	le.PutUint32(buf[20:], r.HotReboots)
	le.PutUint32(buf[24:], r.WarmResets)
	le.PutUint32(buf[28:], r.Watchdogs)
	le.PutUint64(buf[32:], r.ClockMs)
	buf[40] = byte(r.Path)
	intent := r.Intent
	if len(intent) > maxText {
		intent = intent[:maxText]
	}
	buf[41] = byte(len(intent))
	copy(buf[offIntent:], intent)
	for i, t := range r.Restarts {
		le.PutUint64(buf[offRestarts+8*i:], t)
	}
	le.PutUint32(buf[offCRC:], crc32.ChecksumIEEE(buf[:offCRC]))
	copy(p, buf[:])
}

func decode(p []byte) (Record, uint32, bool) {
	le := binary.LittleEndian
	if le.Uint32(p[0:]) != magic || le.Uint16(p[4:]) != version ||
		crc32.ChecksumIEEE(p[:offCRC]) != le.Uint32(p[offCRC:]) || p[41] > maxText {
		return Record{}, 0, false
	}
	flags := le.Uint16(p[6:])
	r := Record{
		Boots:        le.Uint32(p[12:]),
		SiteRestarts: le.Uint32(p[16:]),
		HotReboots:   le.Uint32(p[20:]),
		WarmResets:   le.Uint32(p[24:]),
		Watchdogs:    le.Uint32(p[28:]),
		ClockMs:      le.Uint64(p[32:]),
		Path:         Path(p[40] % byte(numPaths)),
		Intent:       string(p[offIntent : offIntent+int(p[41])]),
		Pending:      flags&flagPending != 0,
		Site:         flags&flagSite != 0,
		SafeMode:     flags&flagSafe != 0,
	}
	for i := range r.Restarts {
		r.Restarts[i] = le.Uint64(p[offRestarts+8*i:])
	}
	return r, le.Uint32(p[8:]), true
}
