package console

import (
	"bytes"
	"io"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
)

// help keeps to Columns: the help text starts in one column and wraps at
// spaces; a syntax wider than syntaxColumn gets a line of its own.
func TestHelpLayout(t *testing.T) {
	nop := func(io.Writer, []string) error { return nil }
	var out bytes.Buffer
	writeHelp(&out, []Cmd{
		{Name: "aps", Syntax: "[-json]", Help: "list actors and restart groups", Fn: nop},
		{Name: "pmm alloc", Syntax: "NAME SIZE [KEY]", Help: "allocate or retrieve a block (SIZE in bytes, K/M suffix; KEY default \"console\")", Fn: nop},
		{Name: "quiet", Fn: nop},
		{Name: "upgrade", Syntax: "[--drop-ssh] [--drop-signature] [semihost:PATH]",
			Help: "boot a new image, keep the bank and the groups (over SSH: upgrade < image.elf)", Fn: nop},
	})
	assert.Equal(t, ""+
		"aps [-json]                list actors and restart groups\n"+
		"pmm alloc NAME SIZE [KEY]  allocate or retrieve a block (SIZE in bytes, K/M\n"+
		"                           suffix; KEY default \"console\")\n"+
		"quiet\n"+
		"upgrade [--drop-ssh] [--drop-signature] [semihost:PATH]\n"+
		"                           boot a new image, keep the bank and the groups (over\n"+
		"                           SSH: upgrade < image.elf)\n", out.String())
}

// Shell.Help lays out the table sorted by name, help included.
func TestHelpSorted(t *testing.T) {
	sh := New()
	sh.MustAdd(Cmd{Name: "aps", Help: "list actors", Fn: func(io.Writer, []string) error { return nil }})
	var out bytes.Buffer
	sh.Help(&out)
	var want bytes.Buffer
	writeHelp(&want, sh.Commands())
	assert.Equal(t, want.String(), out.String())
	assert.Regexp(t, `(?m)^aps +list actors$`, out.String())
	assert.Less(t, strings.Index(out.String(), "aps "), strings.Index(out.String(), "help "))
}

func TestWrap(t *testing.T) {
	assert.Equal(t, []string{"ab cd", "efghijkl", "m"}, wrap("ab  cd efghijkl m", 5))
	assert.Empty(t, wrap(" ", 5))
	assert.Equal(t, []string{"é é x"}, wrap("é é x", 5), "columns are runes, not bytes")
}
