package upgrade

import (
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func TestStateDecls(t *testing.T) {
	m := Manifest{KeyVersion: "v2", KeyBoard: "b", "state.ODO": "0f01 0f02", "state.KV": "05", "statemig.0": "0f01 0f02"}
	states, migs, err := m.StateDecls()
	require.NoError(t, err)
	assert.Equal(t, map[string][][]byte{"ODO": {{0x0f, 1}, {0x0f, 2}}, "KV": {{5}}}, states)
	assert.Equal(t, [][2][]byte{{{0x0f, 1}, {0x0f, 2}}}, migs)

	states, migs, err = Manifest{KeyVersion: "v2", KeyBoard: "b"}.StateDecls()
	require.NoError(t, err)
	assert.Nil(t, states)
	assert.Nil(t, migs)

	_, _, err = Manifest{"state.ODO": "zz"}.StateDecls()
	require.ErrorIs(t, err, ErrManifest)
	_, _, err = Manifest{"statemig.0": "0f01"}.StateDecls()
	require.ErrorIs(t, err, ErrManifest)
}
