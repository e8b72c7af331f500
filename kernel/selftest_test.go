//go:build !tamago

package kernel

import (
	"bytes"
	"errors"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/hotrestart/tamago-hr/kernel/console"
)

// selfTestBoard is the fake board with a self-test that reports what it is
// given.
type selfTestBoard struct {
	*fakeBoard
	checks []error
}

func (b selfTestBoard) SelfTest(ms int, line func(name, detail string, err error)) {
	for i, err := range b.checks {
		line(string(rune('a'+i)), "ok", err)
	}
}

func TestSelftestLinesAndCounts(t *testing.T) {
	bootOn(t, make([]byte, testBank), Config{})
	var out bytes.Buffer
	err := k.shell.Exec(&out, "selftest")
	require.EqualError(t, err, "selftest: 1 of 2 checks failed")
	require.ErrorIs(t, k.shell.Exec(&bytes.Buffer{}, "selftest now"), console.ErrUsage)
	assert.Equal(t, "pass bank: 3 blocks, checksums verified\nFAIL board: this board has no self-test\nselftest: 1 passed, 1 failed\n", out.String())

	k.board = selfTestBoard{k.board.(*fakeBoard), []error{nil, errors.New("broken")}}
	out.Reset()
	require.EqualError(t, k.shell.Exec(&out, "selftest"), "selftest: 1 of 3 checks failed")
	assert.Equal(t, "pass bank: 3 blocks, checksums verified\npass a: ok\nFAIL b: broken\nselftest: 2 passed, 1 failed\n", out.String())

	k.board = selfTestBoard{k.board.(selfTestBoard).fakeBoard, []error{nil}}
	out.Reset()
	require.NoError(t, k.shell.Exec(&out, "selftest"))
	assert.Equal(t, "pass bank: 3 blocks, checksums verified\npass a: ok\nselftest: 2 passed, 0 failed\n", out.String())
}
