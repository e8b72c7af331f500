package restartbench

import (
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/hotrestart/tamago-hr/pmm"
)

func TestRunMeasuresEveryRestart(t *testing.T) {
	for _, others := range []int{0, 3, MaxOthers} {
		mem := make([]byte, BankSize(others)+pmm.PageSize)
		for i := range mem {
			mem[i] = 0xa5 // whatever the scratch block held
		}
		res, err := Run(Options{Others: others, Restarts: 20, Mem: mem})
		require.NoError(t, err, "others %d", others)
		require.Len(t, res.Samples, 20)
		assert.IsNonDecreasing(t, res.Samples)
		assert.Positive(t, res.Samples[0])
		assert.Equal(t, res.Samples[9], res.Percentile(50))
		assert.Equal(t, res.Samples[19], res.Percentile(99))
		assert.LessOrEqual(t, res.Samples[0], res.Mean())
		assert.GreaterOrEqual(t, res.Samples[19], res.Mean())
	}
	// the bank for 255 other groups: 520 record blocks and their metadata
	assert.Equal(t, (13+520)*pmm.PageSize, BankSize(MaxOthers))
}

func TestPercentile(t *testing.T) {
	r := Result{Samples: make([]time.Duration, 200)}
	for i := range r.Samples {
		r.Samples[i] = time.Duration(i + 1)
	}
	assert.Equal(t, time.Duration(100), r.Percentile(50))
	assert.Equal(t, time.Duration(198), r.Percentile(99))
	assert.Equal(t, time.Duration(200), r.Percentile(100))
	assert.Equal(t, time.Duration(1), r.Percentile(0))
	assert.Equal(t, time.Duration(100), Result{Samples: r.Samples[99:100]}.Percentile(99))
}

func TestOptionsChecked(t *testing.T) {
	for _, o := range []Options{{Others: -1, Restarts: 1}, {Others: MaxOthers + 1, Restarts: 1}, {Restarts: 0}, {Restarts: 1, Mem: make([]byte, BankSize(0)-1)}} {
		_, err := Run(o)
		assert.ErrorIs(t, err, ErrOptions, "%+v", o.Others)
	}
}
