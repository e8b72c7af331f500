package qemu

import (
	"regexp"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// While a version is on trial another upgrade is refused before anything
// is received or stops (its rollback would go back to the unproven
// version); `upgrade commit` ends the trial and lifts the refusal. From v2
// to the image under test, whose trial is the default 30 s of run time.
func TestUpgradeRefusedDuringTrial(t *testing.T) {
	v2 := envImage(t, "HR_V2_IMAGE")
	v1Image := image(t)
	s := start(t, v2)
	s.banner()
	require.NoError(t, s.Send("upgrade semihost:"+v1Image))
	v1 := s.expect(`hr: upgrade: trial: (\S+) \(previous v2-test\), \d+ of 30000 ms`)[1]
	s.expect(prompt)

	out := noCR(s.run("upgrade semihost:" + v2))
	assert.Equal(t, "error: upgrade refused: "+v1+" is on trial (upgrade commit, or wait for its end); "+v1+" keeps running\n", out)
	assert.Regexp(t, `state: trial: `+regexp.QuoteMeta(v1)+` \(previous v2-test\), \d+ of 30000 ms\n`, noCR(s.run("upgrade status")))

	assert.Equal(t, "upgrade: committed: "+v1+" (previous v2-test)\n", noCR(s.run("upgrade commit")))
	out = noCR(s.run("upgrade semihost:" + v1Image))
	assert.Regexp(t, `^upgrade: \S+ bytes\n(?:.*\n)*error: upgrade refused: the new image has the running version `+regexp.QuoteMeta(v1)+
		`: build it with another VERSION=; `+regexp.QuoteMeta(v1)+` keeps running\n$`, out)
	assert.Equal(t, v1, s.version())
}
