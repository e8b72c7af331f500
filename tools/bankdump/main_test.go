package main

import (
	"bytes"
	"os"
	"path/filepath"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/hotrestart/tamago-hr/pmm"
)

func image(t *testing.T) string {
	mem := make([]byte, 64*pmm.PageSize)
	b, _, err := pmm.Open(mem, pmm.Geometry{Size: len(mem), MaxBlocks: 30})
	require.NoError(t, err)
	blk, err := b.Allocate("PM1", 10, "HELLO_GROUP")
	require.NoError(t, err)
	copy(blk, "hello-bank")
	_, err = b.AllocateAs(pmm.System, "__SYS.boot", 2048, "__SYS.kern")
	require.NoError(t, err)
	p := filepath.Join(t.TempDir(), "bank.bin")
	require.NoError(t, os.WriteFile(p, mem, 0o644))
	return p
}

func TestListsBlocks(t *testing.T) {
	p := image(t)
	before, _ := os.ReadFile(p)
	var out bytes.Buffer
	require.NoError(t, run([]string{p}, &out))
	assert.Regexp(t, `PM1\s+HELLO_GROUP\s+user`, out.String())
	assert.Regexp(t, `__SYS\.boot\s+__SYS\.kern\s+system`, out.String())
	assert.Contains(t, out.String(), "blocks 2 of 30")
	after, _ := os.ReadFile(p)
	assert.Equal(t, before, after, "the image is never written")
}

func TestDumpBlock(t *testing.T) {
	var out bytes.Buffer
	require.NoError(t, run([]string{"-dump", "PM1", "-bytes", "16", image(t)}, &out))
	assert.Contains(t, out.String(), "|hello-bank")
	assert.ErrorIs(t, run([]string{"-dump", "nosuch", image(t)}, &out), pmm.ErrNotFound)
}

func TestRejectsGarbage(t *testing.T) {
	p := filepath.Join(t.TempDir(), "junk.bin")
	require.NoError(t, os.WriteFile(p, bytes.Repeat([]byte{0xa5}, 16*pmm.PageSize), 0o644))
	err := run([]string{p}, &bytes.Buffer{})
	require.Error(t, err)
	assert.Contains(t, err.Error(), "not a valid bank")
	assert.Error(t, run(nil, &bytes.Buffer{}))
	assert.Error(t, run([]string{"/nonexistent"}, &bytes.Buffer{}))
}
