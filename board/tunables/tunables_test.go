package tunables

import (
	"testing"

	"github.com/stretchr/testify/assert"

	"github.com/hotrestart/tamago-hr/pmm"
)

// The board's layout and pmm count the bank in the same pages.
func TestPageSizeIsPMMs(t *testing.T) {
	assert.Equal(t, pmm.PageSize, PageSize)
	assert.Zero(t, BankSize%pmm.PageSize)
	assert.GreaterOrEqual(t, BankSize, RambankSize)
	assert.Less(t, BankSize-RambankSize, pmm.PageSize)
}
