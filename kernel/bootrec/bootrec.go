// Package bootrec keeps the system-wide boot record in a pmm system block:
// boot and reset counters, why the last reset happened (written before that
// reset: QEMU's reset-reason registers read 0), which path it took, a
// persistent clock, and the recent site restarts for the crash-loop breaker.
//
// The record is a pmm/record (A/B copies, sequence number, CRC-32C), so a
// reset during Save leaves the previous record readable.
package bootrec

import (
	"encoding/binary"
	"errors"
	"fmt"
	"sync"

	"github.com/hotrestart/tamago-hr/pmm"
	"github.com/hotrestart/tamago-hr/pmm/record"
)

// Block names in the bank.
const (
	BlockName = "__SYS.boot"
	BlockKey  = "__SYS.kern"
)

// History is how many site restart stamps are kept.
const History = 16

// Kind is the boot record's pmm/record kind. Until the shared record type
// the boot record had a format of its own (magic bytes "TBRH", CRC-32
// IEEE); such a record reads as a foreign magic and is not trusted.
var Kind = record.Kind{Name: "boot record", Magic: record.Magic("HRB2"), Version: 1}

const maxText = 200

// Path is how the previous boot ended.
type Path uint8

const (
	PathNone     Path = iota // power-on or unknown
	PathHot                  // hot reboot from the image in memory
	PathWarm                 // WDOG1 warm reset, bank kept
	PathCold                 // explicit cold reboot, bank discarded
	PathWatchdog             // breadcrumb left while the watchdog runs
	PathUpgrade              // a staged image was booted: hot upgrade or its rollback
	numPaths
)

func (p Path) String() string {
	return [...]string{"none", "hot reboot", "warm reset", "cold reboot", "watchdog reset", "upgrade"}[p%numPaths]
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
	LineCut      bool   // the last boot went down with a console line half typed
	Path         Path
	Intent       string          // who and why, ≤ 200 bytes
	Restarts     [History]uint64 // ClockMs of recent site restarts, newest first
}

// Store keeps this boot's record and writes it to its block at every
// change. It is safe for concurrent use: the console, a site restart, the
// watchdog's service goroutine (the persistent clock) and the fault path
// all write it, and the runtime may preempt a goroutine at any call.
type Store struct {
	mu  sync.Mutex // guards r, rec and buf
	r   Record
	rec *record.Record
	buf [payloadSize]byte // save encodes here: it runs in a dying runtime too, without allocating
}

// ErrNoRecord means the block held no trusted record: a fresh bank
// (record.ErrEmpty), or a record damaged or of a format this image does not
// read (the error says why).
var ErrNoRecord = errors.New("bootrec: no valid record")

// Open allocates or retrieves the block and returns the newest valid record
// (an error wrapping ErrNoRecord with a zero record when there is none).
func Open(b *pmm.Bank) (*Store, Record, error) {
	mem, err := b.AllocateAs(pmm.System, BlockName, record.BlockSize(payloadSize), BlockKey)
	if err != nil {
		return nil, Record{}, fmt.Errorf("bootrec: %w", err)
	}
	rec, r, err := load(mem)
	return &Store{rec: rec, r: r}, r, err
}

// Decode reads the boot record in a block (bankdump uses it on images).
// Errors wrap ErrNoRecord and, but for a payload of the wrong size, the
// pmm/record error (record.ErrEmpty for a block never written).
func Decode(blk []byte) (Record, error) {
	_, r, err := load(blk)
	return r, err
}

func load(blk []byte) (*record.Record, Record, error) {
	rec, p, err := record.Load(blk, Kind)
	switch {
	case err != nil:
		return rec, Record{}, fmt.Errorf("%w: %w", ErrNoRecord, err)
	}
	r, ok := decode(p)
	if !ok {
		return rec, Record{}, fmt.Errorf("%w: boot record payload of %d bytes, want %d", ErrNoRecord, len(p), payloadSize)
	}
	return rec, r, nil
}

// Save makes r the record and writes it as the next version; a reset
// during Save leaves the previous one.
func (s *Store) Save(r Record) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.r = r
	s.save()
}

func (s *Store) save() {
	encode(s.buf[:], s.r)
	_ = s.rec.Write(s.buf[:]) // fixed size, always fits the block Open made
}

// Record returns a copy of the record.
func (s *Store) Record() Record {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.r
}

// Update applies f to the record and saves it.
func (s *Store) Update(f func(*Record)) {
	s.mu.Lock()
	defer s.mu.Unlock()
	f(&s.r)
	s.save()
}

// Begin runs Record.Begin on the record read at Open and saves it.
func (s *Store) Begin(b Boot) Start {
	s.mu.Lock()
	defer s.mu.Unlock()
	st := s.r.Begin(b)
	s.save()
	return st
}

// Intend runs Record.Intend and saves it.
func (s *Store) Intend(path Path, kind ResetKind, why string, clock uint64) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.r.Intend(path, kind, why, clock)
	s.save()
}

// IntendFatal is Intend for the exception and fatal-error paths, which run
// on g0 and reset right after: it never waits for the lock (a holder was
// interrupted by the fault and never runs again) and does not allocate.
// lineCut records a console line half typed when the fault came (LineCut).
func (s *Store) IntendFatal(path Path, kind ResetKind, why string, clock uint64, lineCut bool) {
	if s.mu.TryLock() {
		defer s.mu.Unlock()
	}
	s.r.Intend(path, kind, why, clock)
	s.r.LineCut = lineCut
	s.save()
}

// Tick records the persistent clock (ms), which a reset nobody announced
// (the watchdog's) leaves where the last Tick put it.
func (s *Store) Tick(clock uint64) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.r.ClockMs = clock
	s.save()
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

// payload layout (little endian):
//
//	0  flags u16 | 2 boots u32 | 6 site u32 | 10 hot u32 | 14 warm u32
//	18 wdog u32 | 22 clock u64 | 30 path u8 | 31 intent len u8
//	32 intent [200] | 232 restarts [16]u64 | 360 end
const (
	offIntent   = 32
	offRestarts = offIntent + maxText
	payloadSize = offRestarts + 8*History
)

const (
	flagPending = 1 << iota
	flagSite
	flagSafe
	flagLineCut // a bit older images leave alone: the payload keeps its size
)

func encode(buf []byte, r Record) {
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
	if r.LineCut {
		flags |= flagLineCut
	}
	clear(buf)
	le.PutUint16(buf[0:], flags)
	le.PutUint32(buf[2:], r.Boots)
	le.PutUint32(buf[6:], r.SiteRestarts)
	le.PutUint32(buf[10:], r.HotReboots)
	le.PutUint32(buf[14:], r.WarmResets)
	le.PutUint32(buf[18:], r.Watchdogs)
	le.PutUint64(buf[22:], r.ClockMs)
	buf[30] = byte(r.Path)
	intent := r.Intent
	if len(intent) > maxText {
		intent = intent[:maxText]
	}
	buf[31] = byte(len(intent))
	copy(buf[offIntent:], intent)
	for i, t := range r.Restarts {
		le.PutUint64(buf[offRestarts+8*i:], t)
	}
}

func decode(p []byte) (Record, bool) {
	le := binary.LittleEndian
	if len(p) != payloadSize || p[31] > maxText {
		return Record{}, false
	}
	flags := le.Uint16(p[0:])
	r := Record{
		Boots:        le.Uint32(p[2:]),
		SiteRestarts: le.Uint32(p[6:]),
		HotReboots:   le.Uint32(p[10:]),
		WarmResets:   le.Uint32(p[14:]),
		Watchdogs:    le.Uint32(p[18:]),
		ClockMs:      le.Uint64(p[22:]),
		Path:         Path(p[30] % byte(numPaths)),
		Intent:       string(p[offIntent : offIntent+int(p[31])]),
		Pending:      flags&flagPending != 0,
		Site:         flags&flagSite != 0,
		SafeMode:     flags&flagSafe != 0,
		LineCut:      flags&flagLineCut != 0,
	}
	for i := range r.Restarts {
		r.Restarts[i] = le.Uint64(p[offRestarts+8*i:])
	}
	return r, true
}
