package qemu

import (
	"archive/zip"
	"bytes"
	"fmt"
	"io/fs"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

const thisModule = "github.com/hotrestart/tamago-hr"

// A user's firmware is built with no checkout and no replace: an empty
// directory, `go mod init`, the template's sources, `go get -tool
// …/tools/hrbuild`, `go tool hrbuild image`, from this module as a proxy
// serves it (a file GOPROXY made from the working tree: the module is not
// published where this machine can reach). The image lands in the user's
// build/ and boots; the sizes README "Measured" quotes are printed.
func TestBuildToolInOwnModule(t *testing.T) {
	if os.Getenv("HR_TOOL_TEST") == "" {
		t.Skip("HR_TOOL_TEST unset (make test-qemu sets it): builds a firmware from a module proxy, about 2 minutes")
	}
	root, err := filepath.Abs("..")
	require.NoError(t, err)
	version := fmt.Sprintf("v0.0.0-hrtest.%d", time.Now().UnixNano())
	proxy := moduleProxy(t, root, version)

	user := t.TempDir()
	env := append(os.Environ(), "GOTOOLCHAIN=local", "GOPROXY=file://"+proxy+","+goEnv(t, "GOPROXY"),
		"GONOSUMDB="+thisModule, "GOSUMDB=off", "GOFLAGS=-mod=mod -modcacherw")
	t.Cleanup(func() { dropFromModCache(t, version) })
	gocmd := func(args ...string) string {
		t.Helper()
		c := exec.Command("go", args...)
		c.Dir, c.Env = user, env
		out, err := c.CombinedOutput()
		require.NoError(t, err, "go %s:\n%s", strings.Join(args, " "), out)
		return string(out)
	}
	gocmd("mod", "init", "example.com/userfw")
	gocmd("mod", "edit", "-go=1.26.0", "-toolchain=none") // tamago-go is Go 1.26.0
	copyTemplate(t, filepath.Join(root, "qemu/testdata/myfirmware"), user)
	gocmd("get", thisModule+"@"+version)
	gocmd("get", "-tool", thisModule+"/tools/hrbuild@"+version)
	gocmd("mod", "tidy")
	mod, err := os.ReadFile(filepath.Join(user, "go.mod"))
	require.NoError(t, err)
	assert.NotContains(t, string(mod), "replace")
	assert.Contains(t, string(mod), "tool "+thisModule+"/tools/hrbuild")

	out := gocmd("tool", "hrbuild", "image", "-name", "userfw", "-version", "user-test")
	t.Log(out)
	assert.Contains(t, out, "image: build/userfw.elf (")
	ov, err := os.ReadFile(filepath.Join(user, "build/overlay-userfw.json"))
	require.NoError(t, err)
	assert.Contains(t, string(ov), user+"/build/.hrwork/userfw/mod/board/tunables/values.go", "laid over a copy of the kernel module (the cache's files take no overlay)")
	assert.NotContains(t, string(ov), root+"/", "nothing from the checkout")
	work, err := os.ReadFile(filepath.Join(user, "build/.hrwork/userfw/go.work"))
	require.NoError(t, err)
	assert.Contains(t, string(work), "replace "+thisModule+" => \""+user+"/build/.hrwork/userfw/mod\"")
	copied, err := os.ReadFile(filepath.Join(user, "build/.hrwork/userfw/mod/kernel/README.md"))
	require.NoError(t, err)
	inTree, err := os.ReadFile(filepath.Join(root, "kernel/README.md"))
	require.NoError(t, err)
	assert.Equal(t, string(inTree), string(copied), "the copy is the proxy's module")

	manifest, err := os.ReadFile(filepath.Join(user, "build/manifest-userfw.txt"))
	require.NoError(t, err)
	assert.Contains(t, string(manifest), "state.ODO=", "the declared state types read from the user's source")

	elfFile := filepath.Join(user, "build/userfw.elf")
	s := start(t, elfFile)
	_, _, why := s.banner()
	assert.NotEmpty(t, why)
	assert.Contains(t, s.run("version"), "user-test")
	s.arun("-g 1 odometer")
	s.expect(`odometer 1: start 1 at 0 m`)
	s.expect(`odometer 1: 100 m`)
	assert.Regexp(t, `odometer: \d+ m, start 1`, s.run("odo"))

	// the USB armory Mk II image, from the same module
	out = gocmd("tool", "hrbuild", "imx", "-target", "usbarmory", "-name", "userfw-mk2", "-version", "user-test")
	assert.Contains(t, out, "imx: build/userfw-mk2.imx (")
	imx, err := os.ReadFile(filepath.Join(user, "build/userfw-mk2.imx"))
	require.NoError(t, err)
	require.Greater(t, len(imx), 1<<20)
	assert.Equal(t, byte(0xd1), imx[0], "an i.MX IVT header")

	for _, f := range []string{"userfw.elf", "userfw-mk2.elf", "userfw-mk2.imx"} {
		fi, err := os.Stat(filepath.Join(user, "build", f))
		require.NoError(t, err)
		t.Logf("image sizes: a user's firmware (go tool hrbuild): %s %d bytes (%.1f MB)", f, fi.Size(), float64(fi.Size())/1e6)
	}
	for _, env := range []string{"HR_IMAGE", "HR_MK2_IMAGE", "HR_IMX"} {
		if f := os.Getenv(env); f != "" {
			if fi, err := os.Stat(f); err == nil {
				t.Logf("image sizes: %s %s %d bytes (%.1f MB)", env, filepath.Base(f), fi.Size(), float64(fi.Size())/1e6)
			}
		}
	}
}

// moduleProxy writes a file GOPROXY serving the working tree at root as
// thisModule@version (the go command's proxy protocol: list, .info, .mod,
// .zip). Files are git's (tracked, and new ones not ignored); nested
// modules (a directory with its own go.mod) are left out, as the go
// command's zips leave them.
func moduleProxy(t *testing.T, root, version string) string {
	t.Helper()
	c := exec.Command("git", "ls-files", "-co", "--exclude-standard", "-z")
	c.Dir = root
	list, err := c.Output()
	require.NoError(t, err)
	var files []string
	nested := map[string]bool{}
	for _, f := range strings.Split(strings.TrimRight(string(list), "\x00"), "\x00") {
		if dir := filepath.Dir(f); filepath.Base(f) == "go.mod" && dir != "." {
			nested[dir] = true
		}
		files = append(files, f)
	}
	var zbuf bytes.Buffer
	z := zip.NewWriter(&zbuf)
	prefix := thisModule + "@" + version + "/"
outer:
	for _, f := range files {
		for d := filepath.Dir(f); d != "."; d = filepath.Dir(d) {
			if nested[d] {
				continue outer
			}
		}
		fi, err := os.Lstat(filepath.Join(root, f))
		if err != nil || !fi.Mode().IsRegular() { // deleted in the tree, or a link
			continue
		}
		data, err := os.ReadFile(filepath.Join(root, f))
		require.NoError(t, err)
		w, err := z.Create(prefix + filepath.ToSlash(f))
		require.NoError(t, err)
		_, err = w.Write(data)
		require.NoError(t, err)
	}
	require.NoError(t, z.Close())

	proxy := t.TempDir()
	at := filepath.Join(proxy, thisModule, "@v")
	require.NoError(t, os.MkdirAll(at, 0o755))
	gomod, err := os.ReadFile(filepath.Join(root, "go.mod"))
	require.NoError(t, err)
	for name, data := range map[string][]byte{
		"list":            []byte(version + "\n"),
		version + ".info": fmt.Appendf(nil, `{"Version":%q,"Time":%q}`, version, time.Now().UTC().Format(time.RFC3339)),
		version + ".mod":  gomod,
		version + ".zip":  zbuf.Bytes(),
	} {
		require.NoError(t, os.WriteFile(filepath.Join(at, name), data, 0o644))
	}
	return proxy
}

// copyTemplate copies the template's Go sources (not its go.mod, whose
// replace is the checkout's way) into the user's module.
func copyTemplate(t *testing.T, from, to string) {
	t.Helper()
	entries, err := os.ReadDir(from)
	require.NoError(t, err)
	for _, e := range entries {
		if !strings.HasSuffix(e.Name(), ".go") {
			continue
		}
		data, err := os.ReadFile(filepath.Join(from, e.Name()))
		require.NoError(t, err)
		require.NoError(t, os.WriteFile(filepath.Join(to, e.Name()), data, 0o644))
	}
}

func goEnv(t *testing.T, name string) string {
	t.Helper()
	out, err := exec.Command("go", "env", name).Output()
	require.NoError(t, err)
	return strings.TrimSpace(string(out))
}

// dropFromModCache removes the test's version from the module cache, so
// runs do not pile up there.
func dropFromModCache(t *testing.T, version string) {
	cache := goEnv(t, "GOMODCACHE")
	dir := filepath.Join(cache, thisModule+"@"+version)
	_ = filepath.WalkDir(dir, func(path string, d fs.DirEntry, err error) error {
		if err == nil && d.IsDir() {
			_ = os.Chmod(path, 0o755) // the go command makes it read-only
		}
		return nil
	})
	_ = os.RemoveAll(dir)
	downloaded, _ := filepath.Glob(filepath.Join(cache, "cache/download", thisModule, "@v", version+".*"))
	for _, f := range downloaded {
		_ = os.Remove(f)
	}
	// the cached version list too, when it names only test versions
	list := filepath.Join(cache, "cache/download", thisModule, "@v", "list")
	if b, err := os.ReadFile(list); err == nil && onlyTestVersions(string(b)) {
		_ = os.Remove(list)
	}
}

func onlyTestVersions(list string) bool {
	for _, v := range strings.Fields(list) {
		if !strings.HasPrefix(v, "v0.0.0-hrtest.") {
			return false
		}
	}
	return true
}
