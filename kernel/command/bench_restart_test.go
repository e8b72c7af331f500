package command

import (
	"bytes"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/hotrestart/tamago-hr/actors/restartbench"
	"github.com/hotrestart/tamago-hr/pmm"
)

// A bench restart's block is not freed under it (a client that left, or
// another session, cannot hand its pages to a new block it would scribble
// on); a second bench waits for the first.
func TestBenchRestartBlockNotFreedWhileRunning(t *testing.T) {
	sh, c, sys := newHost(t)
	done := make(chan string, 1)
	go func() { done <- exec(t, sh, "bench restart -n 100000") }()
	require.Eventually(t, func() bool { return c.benchBusy.Load() }, 5*time.Second, time.Millisecond)
	require.Eventually(t, func() bool { _, _, err := sys.bank.Lookup(benchRestartName); return err == nil }, 5*time.Second, time.Millisecond)
	assert.Equal(t, `error: pmm free "bench.restart": in use by a running bench restart`, exec(t, sh, "pmm free bench.restart"))
	assert.Contains(t, exec(t, sh, "pmm freeall __SYS.bench"), `error: pmm freeall "__SYS.bench": pmm: privileged`, "its key is the system's")
	assert.Contains(t, exec(t, sh, "bench restart"), "error: bench: a bench restart is running")
	select {
	case out := <-done:
		assert.Contains(t, out, "restart: p50")
	case <-time.After(2 * time.Minute):
		t.Fatal("the bench did not end")
	}
	assert.False(t, c.benchBusy.Load())
	assert.Contains(t, exec(t, sh, "pmm free bench.restart"), "error:", "the bench freed its block itself")
}

// interrupted is a session output whose client left: console.Interrupter.
type interrupted struct{ bytes.Buffer }

func (*interrupted) Interrupted() <-chan struct{} {
	c := make(chan struct{})
	close(c)
	return c
}

// A bench restart stops between its steps once its session is interrupted
// (an SSH client that left or typed Ctrl-C), and frees its block.
func TestBenchRestartStopsWhenInterrupted(t *testing.T) {
	sh, c, sys := newHost(t)
	var out interrupted
	err := sh.Exec(&out, "bench restart -n 100000")
	require.ErrorIs(t, err, errBenchInterrupted)
	assert.EqualError(t, err, "bench: interrupted (the client left or typed Ctrl-C) after 0 restarts")
	assert.False(t, c.benchBusy.Load())
	_, _, lookErr := sys.bank.Lookup(benchRestartName)
	assert.Error(t, lookErr, "its block is freed")

	res, err := benchInSteps(restartbench.Options{Others: 1, Restarts: benchStep + 7}, nil)
	require.NoError(t, err)
	assert.Len(t, res.Samples, benchStep+7, "every step's samples")
	assert.True(t, slices.IsSorted(res.Samples))
}

// A bench cut short by a way down leaves its block in the bank: the next
// bench frees it and runs (hostile finding CMD23-5: it refused, "free it
// first"); a block of that name that is not the bench's, whatever its key
// (R2-1: a user's with key "bench" was freed), is left alone.
func TestBenchRestartFreesTheBlockACutBenchLeft(t *testing.T) {
	sh, _, sys := newHost(t)
	_, err := sys.bank.AllocateAs(pmm.User, benchRestartName, 4096, benchRestartKey)
	require.NoError(t, err)
	out := exec(t, sh, "bench restart -n 10")
	assert.True(t, strings.HasPrefix(out, "bench: freed block bench.restart, left by a bench a restart cut short\nbench: group restart of "), out)
	assert.Contains(t, out, "restart: p50")
	_, _, err = sys.bank.Lookup(benchRestartName)
	assert.Error(t, err, "and the bench freed its own")

	for _, key := range []string{"mine", "bench"} {
		assert.Contains(t, exec(t, sh, "pmm alloc bench.restart 1 "+key), "allocated bench.restart")
		assert.Equal(t, "error: bench: block bench.restart exists; free it first", exec(t, sh, "bench restart -n 10"), key)
		_, info, err := sys.bank.Lookup(benchRestartName)
		require.NoError(t, err)
		assert.Equal(t, key, info.Key)
		assert.Contains(t, exec(t, sh, "pmm free bench.restart"), "freed bench.restart")
	}
}
