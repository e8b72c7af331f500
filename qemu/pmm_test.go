package qemu

import (
	"path/filepath"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// The pmm commands: allocate-or-retrieve, free, freeall, keys, privileges,
// and one clear line of error for every bad argument.
func TestPmmCommands(t *testing.T) {
	s := boot(t)
	s.banner()
	assert.Contains(t, s.run("pmm alloc a 5000 job"), "allocated a: 2 pages (8192 bytes)")
	assert.Contains(t, s.run("pmm alloc a 100 other"), "retrieved a: 2 pages", "retrieve keeps size and key")
	assert.Contains(t, s.run("pmm alloc a 3 pages"), "retrieved")
	assert.Contains(t, s.run("pmm alloc a 9000"), "error: pmm alloc \"a\": ")
	assert.Contains(t, s.run("pmm alloc b 1 job"), "allocated b: 1 pages")
	s.run("pmm write a hello")
	ls := s.run("pmm ls")
	assert.Regexp(t, `a\s+job\s+user\s+\d+\s+2\s+8192`, ls)
	assert.Regexp(t, `__SYS\.boot\s+__SYS\.kern\s+system`, ls)
	assert.Contains(t, s.run("pmm stat"), "page size 4096; pages 256")
	assert.Contains(t, s.run("pmm verify"), "bank ok")

	for line, want := range map[string]string{
		"pmm alloc x 0":           `error: pmm alloc: size "0" is not 1…`,
		"pmm alloc x lots":        `error: pmm alloc: size "lots" is not`,
		"pmm alloc x 2M":          `error: pmm alloc: size "2M" is not`,
		"pmm alloc __SYS.mine 1":  "privileged",
		"pmm alloc x 1 __SYS.key": "privileged",
		"pmm free __SYS.boot":     "privileged",
		"pmm freeall __SYS.kern":  "privileged",
		"pmm write __SYS.boot x":  "privileged",
		"pmm free nosuch":         `error: pmm free "nosuch": `,
		"pmm freeall nokey":       `error: pmm freeall "nokey": `,
		"pmm dump nosuch":         `error: pmm dump "nosuch": `,
		"pmm dump a 99999":        `error: pmm dump: length "99999" is not 1…4096`,
		"pmm bogus":               `error: unknown command "pmm bogus"`,
	} {
		assert.Contains(t, s.run(line), want, line)
	}
	assert.Contains(t, s.run("pmm freeall job"), "freed 2 blocks with key job")
	assert.NotContains(t, s.run("pmm ls"), "job")
	require.Contains(t, s.run("pmm alloc big 600K k"), "allocated big: 150 pages")
	assert.Contains(t, s.run("pmm alloc big2 600K k"), "error: pmm alloc \"big2\": ")
}

// tunables lists every static tunable with its value, default and unit.
func TestTunablesCommand(t *testing.T) {
	s := boot(t)
	s.banner()
	out := s.run("tunables")
	for _, want := range []string{`pmm\.rambankSize\s+1048576\s+default 1048576\s+bytes`, `pmm\.maxBlocks\s+30`,
		`hrCtrl\.maxActors`, `hrCtrl\.maxGroups\s+16`, `hrCtrl\.maxBadness\s+3`, `hrCtrl\.interval\s+10000\s+default 10000\s+ms`,
		`kern\.watchdogTimeout`, `kern\.crashLoopCount`} {
		assert.Regexp(t, want, out)
	}
	assert.NotContains(t, out, "*", "the default image changes no tunable")
}

// The test image is built with other tunables: they show, marked.
func TestTunablesBuiltIn(t *testing.T) {
	s := testImage(t)
	s.banner()
	assert.Regexp(t, `hrCtrl\.maxBadness\s+2\s+default 3\s+count\s+\*`, s.run("tunables"))
}

// bench times pmm on the bank and leaves nothing behind.
func TestBenchCommand(t *testing.T) {
	s := boot(t)
	s.banner()
	out := s.run("bench")
	for _, op := range []string{"pmm allocate \\+ free", "pmm retrieve", "pmm verify \\(whole bank\\)"} {
		assert.Regexp(t, op+`\s+\d+ ops\s+[0-9.]+ µs/op`, out)
	}
	assert.NotContains(t, s.run("pmm ls"), "bench.scratch")
	s.run("pmm alloc bench.scratch 1 k")
	assert.Contains(t, s.run("bench"), "error: bench: block bench.scratch exists")
}

// bench restart times group restarts on the target with its own controller
// and bank block: the transcript's shape, never its timings (README has
// those), and nothing left behind.
func TestBenchRestartCommand(t *testing.T) {
	s := startWith(t, image(t), Options{Monitor: filepath.Join(t.TempDir(), "mon.sock")})
	s.banner()
	line := `restart: p50 [0-9.]+ µs, p99 [0-9.]+ µs \(min [0-9.]+, mean [0-9.]+, max [0-9.]+\)`
	out := s.run("bench restart")
	assert.Regexp(t, `^bench: group restart of 8 actors, 1 other groups, 200 restarts, records in bank block bench\.restart\r?\n`+line, out)
	t.Logf("%s", out)
	out = s.run("bench restart -groups 255 -n 20")
	assert.Regexp(t, `^bench: group restart of 8 actors, 255 other groups, 20 restarts, records on the heap \(no room in the bank\)\r?\n`+line, out)
	t.Logf("%s", out)
	assert.Regexp(t, `error: bench: -groups "256": want 0 … 255 other groups`, s.run("bench restart -groups 256"))
	assert.Regexp(t, `error: usage: bench restart \[-groups N\] \[-n RESTARTS\]`, s.run("bench restart -x 1"))
	assert.Regexp(t, `error: usage: bench restart`, s.run("bench restart -n"))
	assert.NotContains(t, s.run("pmm ls"), "bench.restart")
	assert.NotContains(t, s.run("aps"), "member", "the real controller is untouched")

	// a bench that a reset cuts short leaves its block; the next bench
	// frees it and runs (hostile finding CMD23-5: it refused)
	require.NoError(t, s.Send("bench restart -n 100000"))
	s.expect(`bench: group restart of 8 actors, 1 other groups, 100000 restarts, records in bank block bench\.restart`)
	_, err := s.Monitor("system_reset", 10*time.Second)
	require.NoError(t, err)
	s.banner()
	assert.Contains(t, s.run("pmm ls"), "bench.restart")
	out = s.run("bench restart -n 10")
	assert.Regexp(t, `^bench: freed block bench\.restart, left by a bench a restart cut short\r?\nbench: group restart of 8 actors, 1 other groups, 10 restarts, records in bank block bench\.restart\r?\n`+line, out)
	assert.NotContains(t, s.run("pmm ls"), "bench.restart")

	// a user's block of that name is never taken for a leftover, even
	// with the key "bench" (hostile finding R2-1: it was freed)
	s.run("pmm alloc bench.restart 1 bench")
	s.run("pmm write bench.restart precious")
	assert.Contains(t, s.run("bench restart -n 10"), "error: bench: block bench.restart exists; free it first")
	assert.Contains(t, s.run("pmm dump bench.restart 8"), "|precious|")
}
