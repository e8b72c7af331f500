package tunegen

import (
	"flag"
	"os"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/hotrestart/tamago-hr/kernel/tunables"
)

var update = flag.Bool("update", false, "rewrite board/tunables/values.go from the defaults")

// The committed values.go must be exactly what the generator makes of the
// defaults, so a plain `go build` and `make` agree.
func TestCommittedValuesAreDefaults(t *testing.T) {
	vals, err := tunables.Parse("")
	require.NoError(t, err)
	want := Generate(vals)
	if *update {
		require.NoError(t, os.WriteFile("../../../board/tunables/values.go", want, 0o644))
	}
	got, err := os.ReadFile("../../../board/tunables/values.go")
	require.NoError(t, err)
	assert.Equal(t, string(want), string(got), "run: go test ./kernel/tunables/tunegen -update")
}
