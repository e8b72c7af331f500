package actors

import (
	"bytes"
	"strings"
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/hotrestart/tamago-hr/pmm/record"
)

// FuzzShowState shows a state of a random layout and value, and checks it
// against another random layout, as state show and the check before an
// upgrade's switch read a block written by any version: neither panics,
// the output is bounded, and a check passes only where a migration of that
// value would.
func FuzzShowState(f *testing.F) {
	f.Add([]byte{14, 0b0011, 3, 4, 14, 0b0110, 3, 8, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10})
	f.Add([]byte{13, 3, 14, 0, 9, 1, 2, 3})
	f.Fuzz(func(t *testing.T, in []byte) {
		g := &genReader{p: in}
		from, to := g.desc(0), g.desc(0)
		val := make([]byte, from.size)
		for i := range val {
			val[i] = g.byte()
		}
		descB := from.encode(nil)
		payload := make([]byte, stateHeader, stateHeader+len(descB)+len(val))
		le.PutUint32(payload[4:], uint32(len(val)))
		le.PutUint16(payload[8:], uint16(len(descB)))
		payload = append(append(payload, descB...), val...)
		blk := make([]byte, record.BlockSize(len(payload))+record.BlockSize(stateHeader+to.size+len(to.encode(nil))))
		require.NoError(t, record.New(blk, kindState).Write(payload))

		var out bytes.Buffer
		require.NoError(t, ShowState(&out, blk))
		require.LessOrEqual(t, strings.Count(out.String(), "\n"), maxShowLines+1)

		_, merr := migrateValue(make([]byte, to.size), to, val, from)
		cerr := CheckBlock(blk, to.encode(nil), nil)
		require.Equal(t, merr == nil, cerr == nil, "check %v, migration %v", cerr, merr)
	})
}

// A stored layout may describe arrays of any length of elements that keep
// nothing: shown at once, not iterated.
func TestShowStateEmptyElements(t *testing.T) {
	inner := &tdesc{kind: kArray, n: 65000, elem: &tdesc{kind: kStruct}}
	d := &tdesc{kind: kStruct, fields: []tfield{{name: "A", t: &tdesc{kind: kArray, n: 65000, elem: inner}}}}
	descB := d.encode(nil)
	payload := make([]byte, stateHeader)
	le.PutUint16(payload[8:], uint16(len(descB)))
	payload = append(payload, descB...)
	blk := make([]byte, 4096)
	require.NoError(t, record.New(blk, kindState).Write(payload))
	var out bytes.Buffer
	require.NoError(t, ShowState(&out, blk))
	require.Equal(t, "A = [] ([65000][65000]struct{})\n", out.String())
}
