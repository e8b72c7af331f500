package upgrade

import (
	"testing"

	"github.com/stretchr/testify/require"
)

func TestManifestRoundTrip(t *testing.T) {
	m := testManifest("v1.2-3-gabc")
	got, err := ParseManifest(append(m.Marshal(), 0, 0, 0))
	require.NoError(t, err)
	require.Equal(t, m, got)
	require.Equal(t, "hr-manifest 1\nboard=mx6ullevk\n", string(Manifest{KeyBoard: "mx6ullevk"}.Marshal()))
}

func TestParseManifestErrors(t *testing.T) {
	for in, want := range map[string]string{
		"":                                    `bad manifest: first line is not "hr-manifest 1"`,
		"hr-manifest 2\nversion=1\n":          `bad manifest: first line is not "hr-manifest 1"`,
		"hr-manifest 1\nversion\n":            "bad manifest: line 2: want key=value",
		"hr-manifest 1\n=x\n":                 "bad manifest: line 2: want key=value",
		"hr-manifest 1\nboard=a\nboard=b\n":   `bad manifest: line 3: key "board" set twice`,
		"hr-manifest 1\nboard=a\n":            "bad manifest: no version",
		"hr-manifest 1\nversion=v1\n":         "bad manifest: no board",
		"hr-manifest 1\nversion=v1\nboard=\n": "bad manifest: no board",
		// found by FuzzParseManifest's round trip: a \r before the line's
		// own \r\n did not survive Marshal
		"hr-manifest 1\nboard=b\nversion=v\r\r\n":   "bad manifest: line 3: control byte 0x0d",
		"hr-manifest 1\nboard=b\nversion=\x1b[2J\n": "bad manifest: line 3: control byte 0x1b",
	} {
		_, err := ParseManifest([]byte(in))
		require.EqualError(t, err, want, "input %q", in)
	}
}

func TestCompatible(t *testing.T) {
	running := testManifest("v1")
	next := testManifest("v2")
	next["hrCtrl.maxBadness"] = "9" // policy may change
	require.NoError(t, next.Compatible(running))

	next["pmm.maxBlocks"] = "64"
	next[KeyBoard] = "usbarmory-mk2"
	delete(next, "records")
	require.EqualError(t, next.Compatible(running),
		"incompatible image: board usbarmory-mk2, running mx6ullevk; pmm.maxBlocks 64, running 30; records (none), running 1")
}

func TestNewManifest(t *testing.T) {
	m := NewManifest("v1.0", "mx6ullevk", 1, 2, map[string]int64{"pmm.maxBlocks": 30, "pmm.rambankSize": 0x100000})
	require.Equal(t, "hr-manifest 1\nboard=mx6ullevk\npmm.layout=1\npmm.maxBlocks=30\npmm.rambankSize=1048576\nrecords=2\nversion=v1.0\n", string(m.Marshal()))
}
