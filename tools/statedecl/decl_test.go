package statedecl

import (
	"encoding/hex"
	"os"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/hotrestart/tamago-hr/actors"
)

const tamagoRoot = "/root/.cache/tamago-go/tamago-go1.26.0"

func tamagoEnv(t *testing.T) []string {
	t.Helper()
	root := os.Getenv("TAMAGO_GOROOT")
	if root == "" {
		root = os.Getenv("HOME") + "/.cache/tamago-go/tamago-go1.26.0"
	}
	if _, err := os.Stat(root + "/bin/go"); err != nil {
		t.Skipf("no tamago-go in %s", root)
	}
	t.Setenv("PATH", root+"/bin:"+os.Getenv("PATH"))
	return append(os.Environ(), "GOOS=tamago", "GOARCH=arm", "GOARM=7", "GOOSPKG=github.com/usbarmory/tamago")
}

func hexLayout[T any](t *testing.T) string {
	t.Helper()
	b, err := actors.StateLayout[T]()
	require.NoError(t, err)
	return hex.EncodeToString(b)
}

// v1 is myfirmware's odoState of version 1.
type v1 struct {
	Meters uint64
	Starts uint32
}

// The layouts read from myfirmware's source (the v3 build: one state,
// two explicit migrations) are the ones its Go types give at run time.
func TestMyfirmwareV3(t *testing.T) {
	env := tamagoEnv(t)
	d, err := declarations("../../qemu/testdata/myfirmware", env, "mx6ullevk,linkramsize,linkprintk,linkcpuinit,v3", ".")
	require.NoError(t, err)
	type v2 struct {
		Meters uint64
		Starts uint32
		Trips  uint32
	}
	type v3 struct {
		Centimeters uint64
		Starts      uint32
		Trips       uint32
	}
	assert.Equal(t, map[string][]string{"ODO": {hexLayout[v3](t)}}, d.states)
	assert.ElementsMatch(t, [][2]string{{hexLayout[v1](t), hexLayout[v2](t)}, {hexLayout[v2](t), hexLayout[v3](t)}}, d.migs)
	lines := strings.Join(d.lines(), "")
	assert.Contains(t, lines, "state.ODO="+hexLayout[v3](t)+"\n")
	assert.Contains(t, lines, "statemig.0=")
	assert.Contains(t, lines, "statemig.1=")
}

// The default build declares version 1; badstate declares nothing.
func TestMyfirmwareTags(t *testing.T) {
	env := tamagoEnv(t)
	d, err := declarations("../../qemu/testdata/myfirmware", env, "mx6ullevk,linkramsize,linkprintk,linkcpuinit", ".")
	require.NoError(t, err)
	assert.Equal(t, map[string][]string{"ODO": {hexLayout[v1](t)}}, d.states)
	assert.Empty(t, d.migs)
	d, err = declarations("../../qemu/testdata/myfirmware", env, "mx6ullevk,linkramsize,linkprintk,linkcpuinit,badstate", ".")
	require.NoError(t, err)
	assert.Empty(t, d.lines())
}

// A type that cannot be state, or a name that is not a constant, stops
// the build with the place and the field.
func TestRefusals(t *testing.T) {
	_, err := declarations(".", os.Environ(), "", "./testdata/bad")
	require.ErrorIs(t, err, actors.ErrStateType)
	assert.ErrorContains(t, err, "bad.go:10:")
	assert.ErrorContains(t, err, "named.Label is string, which cannot be state")
	_, err = declarations(".", os.Environ(), "", "./testdata/noconst")
	require.ErrorContains(t, err, "noconst.go:7:")
	assert.ErrorContains(t, err, "the state name must be a constant")
	_, err = declarations(".", os.Environ(), "", "./testdata/badname")
	require.ErrorContains(t, err, "badname.go:7:")
	assert.ErrorContains(t, err, `state name "A=B\nstate.X=00": want printable ASCII`, "a name cannot forge a manifest line")
	_, err = declarations(".", os.Environ(), "", "./testdata/genmig")
	require.ErrorContains(t, err, "genmig.go:6:")
	assert.ErrorContains(t, err, "actors.RegisterMigration with type parameters")
}

// Tags, nested structs and migrations are recorded as the Go types give
// them at run time.
func TestLayoutsAsTheTypes(t *testing.T) {
	d, err := declarations(".", os.Environ(), "", "./testdata/good")
	require.NoError(t, err)
	type old struct {
		Label [4]byte
		N     uint16
	}
	type st struct {
		Name [4]byte `hr:"was=Label,Tag"`
		N    int32
		In   struct{ On bool }
	}
	assert.Equal(t, map[string][]string{"GOOD": {hexLayout[st](t)}, "OLD": {hexLayout[old](t)}}, d.states)
	assert.Equal(t, [][2]string{{hexLayout[old](t), hexLayout[st](t)}}, d.migs)
}
