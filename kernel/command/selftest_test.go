package command

import (
	"errors"
	"testing"

	"github.com/stretchr/testify/assert"
)

// selftest prints a pass or FAIL line per check the machine makes, then the
// counts; it fails when a check did.
func TestSelftestLinesAndCounts(t *testing.T) {
	sh, m := newMachine(t)
	m.checks = []error{nil, errors.New("broken")}
	assert.Equal(t, "error: selftest: 1 of 2 checks failed", exec(t, sh, "selftest"))
	assert.Equal(t, "error: usage: selftest", exec(t, sh, "selftest now"))

	m.checks = []error{nil, errors.New("broken"), nil}
	assert.Equal(t, "pass a: ok\nFAIL b: broken\npass c: ok\nselftest: 2 passed, 1 failed\n"+
		"error: selftest: 1 of 3 checks failed", execOut(t, sh, "selftest"))

	m.checks = []error{nil}
	assert.Equal(t, "pass a: ok\nselftest: 1 passed, 0 failed\n", exec(t, sh, "selftest"))
	m.checks = nil
	assert.Equal(t, "selftest: 0 passed, 0 failed\n", exec(t, sh, "selftest"))
}
