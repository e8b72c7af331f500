//go:build !tamago

package kernel

import (
	"testing"

	"github.com/stretchr/testify/assert"

	"github.com/hotrestart/tamago-hr/kernel/upgrade"
)

// The kernel's Upgrade takes one upgrade at a time and none while a
// version is on trial, and refuses before it receives anything; a stream
// that cannot be received leaves the running image as it is.
func TestUpgradeOneAtATimeAndNotOnTrial(t *testing.T) {
	bootOn(t, make([]byte, testBank), Config{Programs: register})
	k.up.stage.Mem = make([]byte, 1<<16) // a staging area: the checks go on
	k.up.state = upgrade.State{Phase: upgrade.Trial, From: "v1", To: "v2"}
	assert.Equal(t, "error: upgrade refused: v2 is on trial (upgrade commit, or wait for its end); unknown keeps running",
		exec(t, "upgrade semihost:/x"))
	k.up.state = upgrade.State{Phase: upgrade.Committed, From: "v1", To: "v2"}
	k.up.busy = true
	assert.Equal(t, "error: upgrade: another upgrade is under way", exec(t, "upgrade semihost:/x"))
	k.up.busy = false
	assert.Equal(t, "error: upgrade: no host file on the host; unknown keeps running", exec(t, "upgrade semihost:/x"))
	assert.False(t, k.up.busy, "the slot is free again")
	assert.Equal(t, "error: upgrade: no upgrade on trial (committed)", exec(t, "upgrade commit"))
	assert.Equal(t, "unknown on host\n", exec(t, "version"))
}
