package upgrade

import (
	"bufio"
	"bytes"
	"errors"
	"fmt"
	"sort"
	"strings"
)

// ManifestSection is the ELF section that carries the build's manifest.
const ManifestSection = ".hr.manifest"

// manifestHeader is the first line of a manifest: the format and its version.
const manifestHeader = "hr-manifest 1"

// Manifest keys the build always writes.
const (
	KeyVersion = "version" // git describe or VERSION=, free text
	KeyBoard   = "board"   // board name, e.g. mx6ullevk
)

// MustMatch lists the manifest keys on which the running image and a new
// one must agree, because each fixes a layout in the persistent bank: the
// bank's geometry, the pmm metadata and record formats, and the sizes of
// the controller's and the kernel's system blocks. Everything else (version,
// restart policy tunables) may differ.
var MustMatch = []string{
	KeyBoard,
	"pmm.layout",
	"pmm.rambankSize",
	"pmm.maxBlocks",
	"records",
	"hrCtrl.maxActors",
	"hrCtrl.maxGroups",
	"kern.dmesgSize",
	"kern.upgradeArea", // where the previous image is kept for a rollback
}

// Manifest is what a build says about its image: key=value pairs.
type Manifest map[string]string

// ErrManifest is wrapped by every manifest parse error.
var ErrManifest = errors.New("bad manifest")

// Marshal encodes m as the text the manifest section holds, keys sorted.
func (m Manifest) Marshal() []byte {
	keys := make([]string, 0, len(m))
	for k := range m {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	var b bytes.Buffer
	b.WriteString(manifestHeader + "\n")
	for _, k := range keys {
		fmt.Fprintf(&b, "%s=%s\n", k, m[k])
	}
	return b.Bytes()
}

// ParseManifest decodes a manifest section. Keys are unique, and neither
// keys nor values hold new lines; a trailing NUL padding is ignored.
func ParseManifest(b []byte) (Manifest, error) {
	b = bytes.TrimRight(b, "\x00")
	s := bufio.NewScanner(bytes.NewReader(b))
	if !s.Scan() || s.Text() != manifestHeader {
		return nil, fmt.Errorf("%w: first line is not %q", ErrManifest, manifestHeader)
	}
	m := Manifest{}
	for n := 2; s.Scan(); n++ {
		k, v, ok := strings.Cut(s.Text(), "=")
		if !ok || k == "" {
			return nil, fmt.Errorf("%w: line %d: want key=value", ErrManifest, n)
		}
		// Values reach the console (`upgrade: v2 checked …`) and must
		// survive Marshal: a control byte would do neither (a trailing
		// \r is lost, an escape sequence drives the terminal).
		if i := strings.IndexFunc(s.Text(), func(r rune) bool { return r < 0x20 || r == 0x7f }); i >= 0 {
			return nil, fmt.Errorf("%w: line %d: control byte %#02x", ErrManifest, n, s.Text()[i])
		}
		if _, dup := m[k]; dup {
			return nil, fmt.Errorf("%w: line %d: key %q set twice", ErrManifest, n, k)
		}
		m[k] = v
	}
	if err := s.Err(); err != nil {
		return nil, fmt.Errorf("%w: %v", ErrManifest, err)
	}
	for _, k := range []string{KeyVersion, KeyBoard} {
		if m[k] == "" {
			return nil, fmt.Errorf("%w: no %s", ErrManifest, k)
		}
	}
	return m, nil
}

// ErrIncompatible is wrapped when a new image disagrees with the running one
// on a key of MustMatch.
var ErrIncompatible = errors.New("incompatible image")

// Compatible reports whether an image with manifest m can take over from the
// running image, whose manifest is running. The error names every key that
// differs, with both values.
func (m Manifest) Compatible(running Manifest) error {
	var diffs []string
	for _, k := range MustMatch {
		if m[k] != running[k] {
			diffs = append(diffs, fmt.Sprintf("%s %s, running %s", k, orNone(m[k]), orNone(running[k])))
		}
	}
	if diffs != nil {
		return fmt.Errorf("%w: %s", ErrIncompatible, strings.Join(diffs, "; "))
	}
	return nil
}

func orNone(v string) string {
	if v == "" {
		return "(none)"
	}
	return v
}

// NewManifest is the manifest of an image: the build writes it into
// ManifestSection, and the running image builds its own with the same
// arguments to compare. tunables holds every static tunable's value
// (kernel/tunables), pmmLayout is pmm.LayoutVersion and records the version
// of the system records' formats.
func NewManifest(version, board string, pmmLayout, records int, tunables map[string]int64) Manifest {
	m := Manifest{
		KeyVersion:   version,
		KeyBoard:     board,
		"pmm.layout": fmt.Sprint(pmmLayout),
		"records":    fmt.Sprint(records),
	}
	for name, v := range tunables {
		m[name] = fmt.Sprint(v)
	}
	return m
}
