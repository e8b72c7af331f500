package qemu

import (
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// A board that booted an image of security version 1 (HR_SEC1_IMAGE, make
// SECURITY_VERSION=1) keeps 1 as its floor in the bank and refuses, in one
// line, to upgrade to v2, whose security version is 0; it keeps running.
func TestUpgradeRefusesLowerSecurityVersion(t *testing.T) {
	sec1 := envImage(t, "HR_SEC1_IMAGE")
	v2 := envImage(t, "HR_V2_IMAGE")
	s := start(t, sec1)
	s.banner()
	assert.Contains(t, noCR(s.run("upgrade status")), "security version: 1; lowest accepted: 1 (highest committed on this board)\n")
	assert.Contains(t, s.run("pmm ls"), "__SYS.secver")

	out := noCR(s.run("upgrade semihost:" + v2))
	assert.Contains(t, out, "\nerror: upgrade refused: downgrade: "+v2Version+" has security version 0, below 1, the highest this board committed; sec1-test keeps running\n")
	require.Equal(t, "sec1-test", s.version())
	assert.Regexp(t, `^up \d`, s.run("uptime"))
}
