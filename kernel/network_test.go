//go:build !tamago

package kernel

import (
	"testing"

	"github.com/stretchr/testify/assert"
)

// An exec session's command counts as the one going down only when it
// can take the board down: `upgrade status` interrupted by another
// session's restart ends with HUP, as any listing does.
func TestGoesDown(t *testing.T) {
	for cmd, want := range map[string]bool{
		"restart": true, "shutdown -i 1": true, "upgrade": true, "upgrade semihost:/x": true,
		"upgrade --drop-ssh semihost:/x": true, "upgrade status": false, "upgrade status -json": false,
		"upgrade commit": false, "aps -json": false, "": false,
	} {
		assert.Equal(t, want, goesDown(cmd), cmd)
	}
}
