// Package tunables is the table of the image's static tunables: the six
// ChorusOS ones and those this project adds. Values are fixed at build time
// (make TUNABLES='name=value …'): the generator in ./gen validates the
// request against this table and writes values.go, which the build
// (tools/hrbuild) lays over the committed defaults in board/tunables with
// `go build -overlay`. Nothing changes them at run time. The values live in
// that leaf package, not here, because the boards size their memory layout
// from them and may not import the kernel.
package tunables

import (
	"fmt"
	"sort"
	"strconv"
	"strings"
)

// Def describes one tunable.
type Def struct {
	Name     string
	Const    string // Go constant in board/tunables/values.go
	Unit     string
	Default  int64
	Min, Max int64
	Doc      string
}

// Table lists every tunable. Time values are in milliseconds.
var Table = []Def{
	{"pmm.rambankSize", "RambankSize", "bytes", 0x100000, 0x10000, 0x4000000, "size of the persistent RAM bank (rounded up to whole pages; the bank reserves whole MiB of DRAM)"},
	{"pmm.maxBlocks", "MaxBlocks", "count", 30, 4, 4096, "most blocks (and names) in the bank at once, system blocks included"},
	{"hrCtrl.maxActors", "MaxActors", "count", 64, 1, 4096, "most restartable actors registered at once"},
	{"hrCtrl.maxGroups", "MaxGroups", "count", 16, 1, 256, "restart group ids are 0 … maxGroups-1"},
	{"hrCtrl.maxBadness", "MaxBadness", "count", 3, 0, 1000, "group restarts a group may accumulate (decaying) before a site restart"},
	{"hrCtrl.interval", "Interval", "ms", 10000, 100, 3600000, "badness decays by one per full interval without a failure"},
	{"hrCtrl.stopTimeout", "StopTimeout", "ms", 2000, 10, 60000, "time a group member gets to stop before the group is declared inconsistent"},
	{"hrCtrl.minRunTime", "MinRunTime", "ms", 1000, 0, 600000, "a member failing sooner than this after start delays its group's restart (backoff)"},
	{"hrCtrl.maxBackoff", "MaxBackoff", "ms", 5000, 0, 600000, "cap of the exponential restart backoff"},
	{"kern.watchdogTimeout", "WatchdogTimeout", "ms", 4000, 1000, 128000, "WDOG1 timeout: a scheduler starved this long resets the board (0.5 s steps)"},
	{"kern.crashLoopCount", "CrashLoopCount", "count", 4, 2, 100, "site restarts within kern.crashLoopWindow that put the next boot in safe mode"},
	{"kern.crashLoopWindow", "CrashLoopWindow", "ms", 60000, 1000, 86400000, "window of the crash-loop breaker"},
	{"kern.dmesgSize", "DmesgSize", "bytes", 16384, 4096, 1048576, "crash log ring in the bank (a system block, whole pages)"},
	{"kern.upgradeArea", "UpgradeArea", "MiB", 32, 16, 256, "DRAM below the hot-reboot save area that stages a new image and keeps the previous one (two slots)"},
	{"kern.upgradeTrial", "UpgradeTrial", "ms", 30000, 1000, 86400000, "run time a new image has to prove itself before the upgrade commits by itself"},
	{"netcons.loginGrace", "LoginGrace", "ms", 10000, 1000, 600000, "time an SSH connection has to log in (key exchange and authentication) before it is closed"},
}

// Lookup returns the definition of name.
func Lookup(name string) (Def, bool) {
	for _, d := range Table {
		if d.Name == name {
			return d, true
		}
	}
	return Def{}, false
}

// Parse reads "name=value" assignments separated by spaces, commas or new
// lines (# starts a comment) and returns every tunable's value: defaults for
// the ones not named. Values are decimal or 0x hexadecimal, with an optional
// K or M suffix (×1024, ×1024²).
func Parse(spec string) (map[string]int64, error) {
	vals := make(map[string]int64, len(Table))
	for _, d := range Table {
		vals[d.Name] = d.Default
	}
	seen := map[string]bool{}
	for _, line := range strings.Split(spec, "\n") {
		if i := strings.IndexByte(line, '#'); i >= 0 {
			line = line[:i]
		}
		for _, f := range strings.FieldsFunc(line, func(r rune) bool { return r == ' ' || r == '\t' || r == ',' || r == '\r' }) {
			name, raw, ok := strings.Cut(f, "=")
			if !ok {
				return nil, fmt.Errorf("tunable %q: want name=value", f)
			}
			d, ok := Lookup(name)
			if !ok {
				return nil, fmt.Errorf("unknown tunable %q (known: %s)", name, strings.Join(Names(), ", "))
			}
			if seen[name] {
				return nil, fmt.Errorf("tunable %s set twice", name)
			}
			seen[name] = true
			v, err := ParseValue(raw)
			if err != nil {
				return nil, fmt.Errorf("tunable %s: bad value %q: %v", name, raw, err)
			}
			if v < d.Min || v > d.Max {
				return nil, fmt.Errorf("tunable %s = %d out of range [%d, %d] %s", name, v, d.Min, d.Max, d.Unit)
			}
			vals[name] = v
		}
	}
	return vals, nil
}

// ParseValue reads a decimal or 0x hexadecimal number with an optional K or
// M suffix (×1024, ×1024²).
func ParseValue(s string) (int64, error) {
	mul := int64(1)
	switch {
	case strings.HasSuffix(s, "K"):
		mul, s = 1<<10, strings.TrimSuffix(s, "K")
	case strings.HasSuffix(s, "M"):
		mul, s = 1<<20, strings.TrimSuffix(s, "M")
	}
	v, err := strconv.ParseInt(s, 0, 64)
	if err != nil {
		return 0, fmt.Errorf("not a number")
	}
	if v < 0 || v > (1<<40)/mul {
		return 0, fmt.Errorf("out of bounds")
	}
	return v * mul, nil
}

// Names returns the tunable names, sorted.
func Names() []string {
	n := make([]string, 0, len(Table))
	for _, d := range Table {
		n = append(n, d.Name)
	}
	sort.Strings(n)
	return n
}
