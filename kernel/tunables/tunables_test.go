package tunables

import (
	"errors"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	built "github.com/hotrestart/tamago-hr/board/tunables"
)

func defaults(t *testing.T) map[string]int64 {
	v, err := Parse("")
	require.NoError(t, err)
	return v
}

func TestCommittedValuesAreDefaults(t *testing.T) {
	cur := built.Current()
	require.Len(t, cur, len(Table))
	for i, d := range Table {
		assert.Equal(t, d.Default, cur[i], d.Name)
		assert.True(t, d.Min <= d.Default && d.Default <= d.Max, d.Name)
	}
}

func TestParse(t *testing.T) {
	v, err := Parse("pmm.rambankSize=0x400000, hrCtrl.maxBadness=5\n# comment\nhrCtrl.interval=2K")
	require.NoError(t, err)
	assert.EqualValues(t, 0x400000, v["pmm.rambankSize"])
	assert.EqualValues(t, 5, v["hrCtrl.maxBadness"])
	assert.EqualValues(t, 2048, v["hrCtrl.interval"])
	assert.EqualValues(t, 30, v["pmm.maxBlocks"])
	v, err = Parse("pmm.rambankSize=4M")
	require.NoError(t, err)
	assert.EqualValues(t, 4<<20, v["pmm.rambankSize"])
}

func TestParseErrors(t *testing.T) {
	for spec, msg := range map[string]string{
		"pmm.bogus=1":                         `unknown tunable "pmm.bogus"`,
		"pmm.maxBlocks":                       "want name=value",
		"pmm.maxBlocks=abc":                   `bad value "abc"`,
		"pmm.maxBlocks=-3":                    `bad value "-3"`,
		"pmm.maxBlocks=1":                     "out of range [4, 4096]",
		"pmm.maxBlocks=8 pmm.maxBlocks=9":     "set twice",
		"hrCtrl.maxGroups=99999999999999999M": "bad value",
	} {
		_, err := Parse(spec)
		require.Error(t, err, spec)
		assert.Contains(t, err.Error(), msg, spec)
	}
}

func TestCheck(t *testing.T) {
	ok := func(int, int) error { return nil }
	v := defaults(t)
	require.NoError(t, Check(v, ok))
	assert.ErrorContains(t, Check(v, func(int, int) error { return errors.New("too small") }), "too small")
	v["kern.dmesgSize"] = 512 << 10
	assert.ErrorContains(t, Check(v, ok), "quarter")
	v = defaults(t)
	v["hrCtrl.maxBackoff"], v["hrCtrl.minRunTime"] = 10, 100
	assert.ErrorContains(t, Check(v, ok), "below")
}

func TestBankBytes(t *testing.T) {
	assert.EqualValues(t, 4096, BankBytes(1))
	assert.EqualValues(t, 0x100000, BankBytes(0x100000))
}
