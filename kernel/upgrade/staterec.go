package upgrade

import (
	"encoding/binary"
	"fmt"

	"github.com/hotrestart/tamago-hr/pmm/record"
)

// Block names of the trial state in the bank: a pmm system block, allocated
// by the first upgrade (a bank that never saw one has no such block).
const (
	BlockName = "__SYS.upgrade"
	BlockKey  = "__SYS.kern"
)

// Kind is the trial state's pmm/record kind.
var Kind = record.Kind{Name: "upgrade state", Magic: record.Magic("HRUP"), Version: 1}

// payload layout (little endian):
//
//	0 phase u8 | 1 from len u8 | 2 to len u8 | 3 why len u8 | 4 start u64
//	12 restarts u32 | 16 from [64] | 80 to [64] | 144 why [160]
//	304 groups u8 | 305 gids [64]u16 | 433 end
//
// A payload of 304 bytes (images before groups were judged) has no groups.
const (
	maxText     = 64
	maxWhy      = 160
	offFrom     = 16
	offTo       = offFrom + maxText
	offWhy      = offTo + maxText
	offGroups   = offWhy + maxWhy
	PayloadSize = offGroups + 1 + 2*MaxGroups
)

// Marshal encodes s as a record payload of PayloadSize bytes; texts longer
// than their field are cut.
func (s State) Marshal() []byte {
	p := make([]byte, PayloadSize)
	le := binary.LittleEndian
	p[0] = byte(s.Phase)
	p[1] = byte(copy(p[offFrom:offFrom+maxText], s.From))
	p[2] = byte(copy(p[offTo:offTo+maxText], s.To))
	p[3] = byte(copy(p[offWhy:offWhy+maxWhy], s.Why))
	le.PutUint64(p[4:], s.StartMs)
	le.PutUint32(p[12:], s.Restarts)
	n := min(len(s.Groups), MaxGroups)
	p[offGroups] = byte(n)
	for i, g := range s.Groups[:n] {
		le.PutUint16(p[offGroups+1+2*i:], g)
	}
	return p
}

// UnmarshalState decodes a payload that Marshal wrote.
func UnmarshalState(p []byte) (State, error) {
	if (len(p) != PayloadSize && len(p) != offGroups) || p[0] > byte(Reloaded) || p[1] > maxText || p[2] > maxText || p[3] > maxWhy ||
		(len(p) == PayloadSize && p[offGroups] > MaxGroups) {
		return State{}, fmt.Errorf("upgrade state: payload of %d bytes does not decode", len(p))
	}
	le := binary.LittleEndian
	var groups []uint16
	if len(p) == PayloadSize {
		for i := range int(p[offGroups]) {
			groups = append(groups, le.Uint16(p[offGroups+1+2*i:]))
		}
	}
	return State{
		Groups:   groups,
		Phase:    Phase(p[0]),
		From:     string(p[offFrom : offFrom+int(p[1])]),
		To:       string(p[offTo : offTo+int(p[2])]),
		Why:      string(p[offWhy : offWhy+int(p[3])]),
		StartMs:  le.Uint64(p[4:]),
		Restarts: le.Uint32(p[12:]),
	}, nil
}
