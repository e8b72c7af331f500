package actors

import (
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func TestDecayAndCharge(t *testing.T) {
	cfg := DefaultConfig()
	iv := cfg.Interval
	assert.Equal(t, 0, decayed(0, 0, time.Hour, iv))
	assert.Equal(t, 3, decayed(3, 0, iv-1, iv))
	assert.Equal(t, 2, decayed(3, 0, iv, iv))
	assert.Equal(t, 1, decayed(3, 0, 2*iv+iv/2, iv))
	assert.Equal(t, 0, decayed(3, 0, 3*iv, iv))
	assert.Equal(t, 0, decayed(3, 0, 1000*iv, iv))
	assert.Equal(t, 3, decayed(3, time.Hour, 0, iv), "a clock that went back does not decay")

	b, esc := charge(2, 0, 0, cfg)
	assert.Equal(t, 3, b)
	assert.False(t, esc)
	b, esc = charge(3, 0, iv-1, cfg)
	assert.Equal(t, 4, b)
	assert.True(t, esc)
	b, esc = charge(3, 0, iv, cfg)
	assert.Equal(t, 3, b)
	assert.False(t, esc)
}

func TestBackoffSequence(t *testing.T) {
	cfg := Config{MinRunTime: time.Second, MaxBackoff: 5 * time.Second}
	q := 0
	var got []time.Duration
	for i := 0; i < 5; i++ {
		var d time.Duration
		d, q = backoff(0, q, cfg)
		got = append(got, d)
	}
	assert.Equal(t, []time.Duration{time.Second, 2 * time.Second, 4 * time.Second, 5 * time.Second, 5 * time.Second}, got)
	d, q := backoff(time.Second, q, cfg)
	assert.Zero(t, d)
	assert.Zero(t, q)
	d, _ = backoff(999*time.Millisecond, 0, cfg)
	assert.Equal(t, time.Second, d)
	d, _ = backoff(0, 0, Config{MinRunTime: 0, MaxBackoff: time.Second})
	assert.Zero(t, d)
	d, _ = backoff(0, 0, Config{MinRunTime: time.Second})
	assert.Zero(t, d, "MaxBackoff 0 disables")
	d, _ = backoff(0, 0, Config{MinRunTime: 10 * time.Second, MaxBackoff: time.Second})
	assert.Equal(t, time.Second, d, "capped even on the first")
	d, _ = backoff(0, 1000, cfg)
	assert.Equal(t, 5*time.Second, d, "no overflow")
}

func TestActorRecordRoundTrip(t *testing.T) {
	in := &actorRec{id: 7, leaseEnd: 97, gid: 3, kind: Indirect, clean: true, gen: 9, name: "kid", program: "wait",
		spawner: "parent.3.1", args: []string{"a", "", "c d"}}
	out, err := decodeActor(in.encode())
	require.NoError(t, err)
	assert.Equal(t, in, out)
	full := in.encode()
	for n := 0; n < len(full); n++ {
		_, err := decodeActor(full[:n])
		if n == len(full)-4 { // an earlier image's record: no lease end
			require.NoError(t, err)
			continue
		}
		assert.Error(t, err, "truncated at %d", n)
	}
	g := groupRec{gid: 65535, killed: true, held: true, escalated: true, badness: 4, failedAt: -5, restarts: 12,
		escalatedAt: 1 << 40, leaseEnd: 4097, lastFailure: "aid 3 x: panic"}
	g2, err := decodeGroup(g.encode())
	require.NoError(t, err)
	assert.Equal(t, g, g2)
	g2, err = decodeGroup(g.encode()[:19])
	require.NoError(t, err, "an earlier image's record")
	assert.Equal(t, groupRec{gid: 65535, killed: true, held: true, escalated: true, badness: 4, failedAt: -5, restarts: 12}, g2)
	g.lastFailure = strings.Repeat("é", 150)
	g2, err = decodeGroup(g.encode())
	require.NoError(t, err)
	assert.Len(t, g2.lastFailure, maxLastFailure-1, "cut on a rune boundary")
	assert.True(t, strings.HasSuffix(g2.lastFailure, "é…"))
	assert.NoError(t, checkArgs("n", "p", "", make([]string, 10)))
	assert.ErrorIs(t, checkArgs("n", "p", "", []string{string(make([]byte, recMaxLength))}), ErrTooLong)
}

func TestNames(t *testing.T) {
	assert.Equal(t, "__SYS.hr.g255", GroupKey(255))
	assert.LessOrEqual(t, len(GroupKey(MaxMaxGroups-1)), 23)
	assert.LessOrEqual(t, len(actorRecordName(^AID(0))), 47)
	n, ok := parseNum("__SYS.hr.a12", actorPrefix)
	assert.True(t, ok)
	assert.Equal(t, uint64(12), n)
	for _, bad := range []string{"__SYS.hr.a", "__SYS.hr.a012", "__SYS.hr.ax", "__SYS.hr.a-1", "__SYS.hr.a99999999999"} {
		_, ok := parseNum(bad, actorPrefix)
		assert.False(t, ok, bad)
	}
}
