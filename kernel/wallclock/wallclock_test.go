package wallclock

import (
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func TestParse(t *testing.T) {
	want := time.Date(2026, 12, 3, 10, 0, 0, 0, time.UTC)
	for _, s := range []string{"2026-12-03T10:00:00Z", "2026-12-03T11:00:00+01:00", "2026-12-03T10:00:00", "2026-12-03 10:00:00", "2026-12-03T10:00", " 2026-12-03T10:00:00.000Z "} {
		got, err := Parse(s)
		require.NoError(t, err, s)
		assert.Equal(t, want, got, s)
		assert.Equal(t, time.UTC, got.Location(), s)
	}
	got, err := Parse("2026-12-03")
	require.NoError(t, err)
	assert.Equal(t, time.Date(2026, 12, 3, 0, 0, 0, 0, time.UTC), got)
}

func TestParseRefuses(t *testing.T) {
	for s, msg := range map[string]string{
		"":                            `"": want 2026-12-03T10:00:00Z or 2026-12-03 10:00:00 (UTC)`,
		"tomorrow":                    `"tomorrow": want 2026-12-03T10:00:00Z or 2026-12-03 10:00:00 (UTC)`,
		"é" + strings.Repeat("x", 50): `"\u00e9xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx"…: want 2026-12-03T10:00:00Z or 2026-12-03 10:00:00 (UTC)`, // quoted as every console error quotes what it refuses (console.Quote)
		"2026-13-03T10:00:00Z":        `"2026-13-03T10:00:00Z": want 2026-12-03T10:00:00Z or 2026-12-03 10:00:00 (UTC)`,
		"1999-12-31T23:59:59Z":        "date 1999-12-31T23:59:59Z out of range (2000-01-01 … 2106-01-01)",
		"2106-01-01T00:00:00Z":        "date 2106-01-01T00:00:00Z out of range (2000-01-01 … 2106-01-01)",
		"1970-01-01":                  "date 1970-01-01 out of range (2000-01-01 … 2106-01-01)",
	} {
		_, err := Parse(s)
		require.EqualError(t, err, msg, s)
	}
}

func TestPayloadRoundTrip(t *testing.T) {
	for _, d := range []time.Duration{0, time.Hour, -90 * 24 * time.Hour, 1<<63 - 1, -1 << 63} {
		p := Marshal(d)
		require.Len(t, p, PayloadSize)
		got, err := Unmarshal(p)
		require.NoError(t, err)
		assert.Equal(t, d, got)
	}
	_, err := Unmarshal(make([]byte, 4))
	require.EqualError(t, err, "clock correction: payload of 4 bytes, want 8")
}

func TestFormat(t *testing.T) {
	assert.Equal(t, "2026-12-03T10:00:00Z", Format(time.Date(2026, 12, 3, 11, 0, 0, 400, time.FixedZone("CET", 3600))))
	assert.Equal(t, "+1h0m0s", FormatDelta(time.Hour))
	assert.Equal(t, "-30s", FormatDelta(-30*time.Second-200*time.Millisecond))
	assert.Equal(t, "0s", FormatDelta(200*time.Millisecond))
}
