package main

import (
	"testing"

	"github.com/stretchr/testify/assert"

	"github.com/hotrestart/tamago-hr/kernel/upgrade"
	"github.com/hotrestart/tamago-hr/pmm/record"
)

func TestDescribesSecurityFloor(t *testing.T) {
	blk := make([]byte, record.BlockSize(upgrade.SecurityPayloadSize))
	d, ok := describe(upgrade.SecurityBlock, blk)
	assert.True(t, ok)
	assert.Equal(t, "security version floor: never written", d)
	assert.NoError(t, record.New(blk, upgrade.SecurityKind).Write(upgrade.MarshalFloor(3)))
	d, _ = describe(upgrade.SecurityBlock, blk)
	assert.Equal(t, "security version floor v1, seq 1 in copy A: lowest security version accepted 3", d)
}
