package console

import (
	"bytes"
	"io"
	"testing"

	"github.com/stretchr/testify/assert"
)

// help keeps to Columns: the help text starts in one column and wraps at
// spaces; a syntax wider than syntaxColumn gets a line of its own.
func TestHelpLayout(t *testing.T) {
	sh := New()
	nop := func(io.Writer, []string) error { return nil }
	sh.MustAdd(Cmd{Name: "aps", Syntax: "[-json]", Help: "list actors and restart groups", Fn: nop})
	sh.MustAdd(Cmd{Name: "upgrade", Syntax: "[--drop-ssh] [--drop-signature] [semihost:PATH]",
		Help: "boot a new image, keep the bank and the groups (over SSH: upgrade < image.elf)", Fn: nop})
	sh.MustAdd(Cmd{Name: "pmm alloc", Syntax: "NAME SIZE [KEY]", Help: "allocate or retrieve a block (SIZE in bytes, K/M suffix; KEY default \"console\")", Fn: nop})
	sh.MustAdd(Cmd{Name: "quiet", Fn: nop})
	var out bytes.Buffer
	sh.Help(&out)
	assert.Equal(t, ""+
		"aps [-json]                list actors and restart groups\n"+
		"help                       list every command with its syntax\n"+
		"pmm alloc NAME SIZE [KEY]  allocate or retrieve a block (SIZE in bytes, K/M\n"+
		"                           suffix; KEY default \"console\")\n"+
		"quiet\n"+
		"upgrade [--drop-ssh] [--drop-signature] [semihost:PATH]\n"+
		"                           boot a new image, keep the bank and the groups (over\n"+
		"                           SSH: upgrade < image.elf)\n", out.String())
}

func TestWrap(t *testing.T) {
	assert.Equal(t, []string{"ab cd", "efghijkl", "m"}, wrap("ab  cd efghijkl m", 5))
	assert.Empty(t, wrap(" ", 5))
	assert.Equal(t, []string{"é é x"}, wrap("é é x", 5), "columns are runes, not bytes")
}
