package command

import (
	"testing"

	"github.com/stretchr/testify/assert"
)

// state show quotes a name it refuses, as every console error does: an
// escape sequence in it never reaches the terminal raw (hostile finding
// R2-6).
func TestStateShowQuotesWhatItRefuses(t *testing.T) {
	sh, _, _ := newHost(t)
	assert.Equal(t, `error: state show: "a\x1b[31m": want NAME@GROUP (pmm ls lists the blocks)`, exec(t, sh, "state show a\x1b[31m"))
	assert.Equal(t, `error: state show: "a@\a": GROUP is not a number`, exec(t, sh, "state show a@\a"))
	assert.Regexp(t, `^error: state show: "a\\x1b\[31m@1": pmm: `, exec(t, sh, "state show a\x1b[31m@1"))
	assert.Equal(t, "error: state show: no block a@1 in the bank (pmm ls lists the blocks)", exec(t, sh, "state show a@1"))
}
