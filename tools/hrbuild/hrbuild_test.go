package main

import (
	"bytes"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func TestToolchainTag(t *testing.T) {
	for v, want := range map[string]string{
		"v1.26.0":                               "tamago-go1.26.0",
		"v1.26.3-0.20260130090423-5d846371fd71": "tamago-go1.26.2",
	} {
		got, err := toolchainTag(v)
		require.NoError(t, err, v)
		assert.Equal(t, want, got, v)
	}
	for _, v := range []string{"v2.0.0", "v1.26.0-0.20260130090423-5d846371fd71", "v1.26-x", ""} {
		_, err := toolchainTag(v)
		assert.Error(t, err, v)
	}
}

func TestGoNewer(t *testing.T) {
	assert.True(t, goNewer("1.26.8", "1.26.0"))
	assert.True(t, goNewer("1.27", "1.26.0"))
	assert.False(t, goNewer("1.26.0", "1.26.0"))
	assert.False(t, goNewer("1.26", "1.26.0"))
	assert.False(t, goNewer("1.25.7", "1.26.0"))
}

func TestOverlay(t *testing.T) {
	o := &Options{Startup: "/s.rc", UpgradeKey: "/k.pub"}
	got, err := overlay("/mod", "/out/values-x.go.gen", o)
	require.NoError(t, err)
	assert.Equal(t, `{"Replace":{"/mod/board/tunables/values.go":"/out/values-x.go.gen","/mod/kernel/startup.rc":"/s.rc","/mod/kernel/upgrade/trusted/upgrade.pub":"/k.pub"}}`+"\n", string(got))
}

func TestQemuArgs(t *testing.T) {
	evk := &Options{Target: "mx6ullevk", SSHPort: 2222}
	assert.Equal(t, "-machine mcimx6ul-evk -cpu cortex-a7 -m 512M -nographic -monitor none -semihosting -net none -serial stdio -serial null -kernel x.elf",
		strings.Join(qemuArgs(evk, "x.elf"), " "))
	evk.AuthorizedKeys, evk.SSHPort, evk.GDB = "/k.pub", 2300, true
	assert.Equal(t, "-machine mcimx6ul-evk -cpu cortex-a7 -m 512M -nographic -monitor none -semihosting -net nic,model=imx.enet,netdev=net0 "+
		"-netdev user,id=net0,net=10.0.0.0/24,host=10.0.0.2,hostfwd=tcp:127.0.0.1:2300-10.0.0.1:22 -serial stdio -serial null -S -s -kernel x.elf",
		strings.Join(qemuArgs(evk, "x.elf"), " "))
	mk2 := &Options{Target: "usbarmory", AuthorizedKeys: "/k.pub"}
	assert.Equal(t, "-machine mcimx6ul-evk -cpu cortex-a7 -m 512M -nographic -monitor none -semihosting -net none -serial null -serial stdio -kernel y.elf",
		strings.Join(qemuArgs(mk2, "y.elf"), " "))
}

func TestWorkspaceHelpers(t *testing.T) {
	assert.True(t, inModCache("/root/go/pkg/mod/github.com/x@v1", "/root/go/pkg/mod"))
	assert.False(t, inModCache("/work/checkout", "/root/go/pkg/mod"))
	assert.False(t, inModCache("/root/go/pkg/mod", "/root/go/pkg/mod"))
	assert.False(t, inModCache("/root/go/pkg/mod/x", ""))
	assert.Equal(t, "-modcacherw -trimpath", withoutModFlag("-mod=mod -modcacherw --mod=readonly -trimpath"))
}

const nameRule = "a plain file name: letters, digits, '.', '_', '-', not starting with '.' or '-' (-o is the directory)"

func TestRunRefuses(t *testing.T) {
	for args, msg := range map[string]string{
		"build":                       `unknown command "build" (image, imx or qemu)`,
		"image -target mk3":           `-target must be mx6ullevk or usbarmory, not "mk3"`,
		"image -name a/b":             `-name "a/b": ` + nameRule,
		"image -name ..":              `-name "..": ` + nameRule,
		"image -name .":               `-name ".": ` + nameRule,
		"image -name .hidden":         `-name ".hidden": ` + nameRule,
		"image -name=-x":              `-name "-x": ` + nameRule,
		`image -name a\b`:             `-name "a\\b": ` + nameRule,
		"image -name fw$1":            `-name "fw$1": ` + nameRule,
		"image -startup /nonexistent": "-startup /nonexistent: not a readable file",
		"image a b":                   `one package at most, not ["a" "b"]`,
		"image -version it's":         `-version "it's": quotes, backslashes and control characters cannot go into the image's version`,
	} {
		var out bytes.Buffer
		err := run(strings.Fields(args), &out, &out)
		require.EqualError(t, err, msg, args)
	}
}
