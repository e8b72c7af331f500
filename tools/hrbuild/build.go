package main

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"

	"golang.org/x/crypto/ssh"

	"github.com/hotrestart/tamago-hr/kernel/netconsole"
	"github.com/hotrestart/tamago-hr/kernel/tunables/tunegen"
	"github.com/hotrestart/tamago-hr/tools/hotspan/span"
	"github.com/hotrestart/tamago-hr/tools/statedecl"
)

const (
	// Module is this module's path: the kernel files an image lays over
	// are found in it, wherever the firmware's module keeps it.
	Module = "github.com/hotrestart/tamago-hr"
	tamago = "github.com/usbarmory/tamago"
	// textStart is where the image is linked: tamago's RAM start + 64 KiB.
	textStart = 0x80010000
	objcopy   = "arm-none-eabi-objcopy"
)

// The module's files an image may replace (-overlay), relative to Module.
const (
	valuesFile  = "board/tunables/values.go"
	startupFile = "kernel/startup.rc"
	keysFile    = "kernel/authorized_keys"
	upgradeFile = "kernel/upgrade/trusted/upgrade.pub"
)

type builder struct {
	o           Options
	out, errOut io.Writer
}

// image builds OUT/NAME.elf and returns its path.
func (b *builder) image() (string, error) {
	o := &b.o
	if err := os.MkdirAll(o.Out, 0o755); err != nil {
		return "", err
	}
	if o.AuthorizedKeys != "" {
		if err := b.checkKeys(); err != nil {
			return "", err
		}
	}
	vals, err := tunegen.Values(o.Tunables)
	if err != nil {
		return "", fmt.Errorf("tunables: %w", err)
	}
	manifest, err := tunegen.Manifest(tunegen.Image{Version: o.Version, Security: o.Security, Board: o.Target,
		UpgradeKey: o.UpgradeKey, SSHConsole: o.AuthorizedKeys != ""}, vals)
	if err != nil {
		return "", fmt.Errorf("tunables: %w", err)
	}
	values := filepath.Join(o.Out, "values-"+o.Name+".go.gen")
	manifestFile := filepath.Join(o.Out, "manifest-"+o.Name+".txt")
	if err := os.WriteFile(values, tunegen.Generate(vals), 0o644); err != nil {
		return "", err
	}
	if err := os.WriteFile(manifestFile, manifest, 0o644); err != nil {
		return "", err
	}
	modDir, err := goList(o.Dir, "-m", "-f", "{{.Dir}}", Module)
	if err != nil {
		return "", fmt.Errorf("finding %s from %s (does its go.mod require it?): %w", Module, o.Dir, err)
	}
	var work string
	if cache, _ := goEnv(o.Dir, "GOMODCACHE"); inModCache(modDir, cache) {
		gomod, err := goEnv(o.Dir, "GOMOD")
		if err != nil || gomod == "" || gomod == os.DevNull {
			return "", fmt.Errorf("%s is not in a module: run go mod init there first", o.Dir)
		}
		if modDir, work, err = workspace(o.Out, o.Name, modDir, filepath.Dir(gomod)); err != nil {
			return "", err
		}
	}
	ov, err := overlay(modDir, values, o)
	if err != nil {
		return "", err
	}
	overlayFile := filepath.Join(o.Out, "overlay-"+o.Name+".json")
	if err := os.WriteFile(overlayFile, ov, 0o644); err != nil {
		return "", err
	}
	gobin, env, err := b.compiler()
	if err != nil {
		return "", err
	}
	elfFile := o.file(".elf")
	ldflags := fmt.Sprintf("-T %#x -R 0x1000 -X '%s/kernel/upgrade/trusted.Version=%s' -X '%s/kernel/upgrade/trusted.Security=%s'",
		textStart, Module, o.Version, Module, o.Security)
	build := exec.Command(gobin, "build", "-p", "2", "-overlay", overlayFile, "-tags", o.tags(), "-trimpath",
		"-ldflags", ldflags, "-o", elfFile, o.Package)
	build.Dir, build.Env, build.Stdout, build.Stderr = o.Dir, env, b.out, b.errOut
	if work != "" {
		build.Env = append(build.Env, "GOWORK="+work, "GOFLAGS="+withoutModFlag(os.Getenv("GOFLAGS")))
	}
	if err := build.Run(); err != nil {
		return "", fmt.Errorf("building %s in %s: %w", o.Package, o.Dir, err)
	}
	if err := b.declaredStates(manifestFile, gobin, build.Env); err != nil {
		return "", err
	}
	if err := runTool(b.errOut, objcopy, "--add-section", ".hr.manifest="+manifestFile,
		"--set-section-flags", ".hr.manifest=noload,readonly", elfFile); err != nil {
		return "", toolMissing(err, objcopy, "binutils-arm-none-eabi")
	}
	sp, err := span.Apply(elfFile, true)
	if err != nil {
		return "", fmt.Errorf("hotspan: %w", err)
	}
	fmt.Fprintf(b.out, "hotspan: %s\n", sp)
	fmt.Fprintf(b.out, "image: %s (%d bytes)\n", shown(elfFile), size(elfFile))
	return elfFile, nil
}

// declaredStates adds to the manifest the state types and migrations the
// firmware declares (tools/statedecl), read from its source with the build's
// tags and environment, so that a running image can refuse an upgrade whose
// types cannot take its bank's states (README "Changing your state").
func (b *builder) declaredStates(manifestFile, gobin string, env []string) error {
	// go/packages runs the go found on this process's PATH, not env's: the
	// types must come from tamago-go (GOOS=tamago)
	if err := os.Setenv("PATH", filepath.Dir(gobin)+string(filepath.ListSeparator)+os.Getenv("PATH")); err != nil {
		return err
	}
	lines, err := statedecl.Lines(b.o.Dir, env, b.o.tags(), b.o.Package)
	if err != nil {
		return fmt.Errorf("declared states: %w", err)
	}
	f, err := os.OpenFile(manifestFile, os.O_APPEND|os.O_WRONLY, 0)
	if err != nil {
		return err
	}
	_, err = f.WriteString(strings.Join(lines, ""))
	return errors.Join(err, f.Close())
}

// overlay is the -overlay file: the kernel's files the image replaces.
func overlay(modDir, values string, o *Options) ([]byte, error) {
	r := map[string]string{filepath.Join(modDir, valuesFile): values}
	for f, with := range map[string]string{startupFile: o.Startup, keysFile: o.AuthorizedKeys, upgradeFile: o.UpgradeKey} {
		if with != "" {
			r[filepath.Join(modDir, f)] = with
		}
	}
	b, err := json.Marshal(struct{ Replace map[string]string }{r})
	return append(b, '\n'), err
}

// checkKeys refuses an authorized_keys file without a usable key, so a
// typo fails the build instead of leaving a board without its console.
func (b *builder) checkKeys() error {
	data, err := os.ReadFile(b.o.AuthorizedKeys)
	if err != nil {
		return err
	}
	keys, err := netconsole.ParseAuthorizedKeys(data)
	if err != nil {
		return fmt.Errorf("%s: %w", b.o.AuthorizedKeys, err)
	}
	if len(keys) == 0 {
		return fmt.Errorf("%s: no key in it (leave -authorized-keys out for an image without network console)", b.o.AuthorizedKeys)
	}
	for _, k := range keys {
		fmt.Fprintf(b.out, "authorized key: %s %s\n", k.Type(), ssh.FingerprintSHA256(k))
	}
	return nil
}

// compiler returns tamago-go's go command for the tamago version Dir's
// module requires, and the environment to run it in, installing it into
// the user cache with tamago's own wrapper when it is not there.
func (b *builder) compiler() (string, []string, error) {
	v, err := goList(b.o.Dir, "-m", "-f", "{{.Version}}", tamago)
	if err != nil {
		return "", nil, fmt.Errorf("finding %s's version: %w", tamago, err)
	}
	tag, err := toolchainTag(v)
	if err != nil {
		return "", nil, err
	}
	if want, err := goList(b.o.Dir, "-m", "-f", "{{.GoVersion}}"); err == nil && goNewer(want, strings.TrimPrefix(tag, "tamago-go")) {
		return "", nil, fmt.Errorf("go.mod says go %s, but %s is Go %s: run go mod edit -go=%[3]s -toolchain=none",
			want, tag, strings.TrimPrefix(tag, "tamago-go"))
	}
	cache, err := os.UserCacheDir()
	if err != nil {
		return "", nil, err
	}
	root := filepath.Join(cache, "tamago-go", tag)
	gobin := filepath.Join(root, "bin", "go")
	if _, err := os.Stat(gobin); err != nil {
		fmt.Fprintf(b.errOut, "hrbuild: installing %s into %s (first run, about 7 minutes)\n", tag, root)
		inst := exec.Command("go", "run", tamago+"/cmd/tamago", "version")
		inst.Dir, inst.Stdout, inst.Stderr = b.o.Dir, b.errOut, b.errOut
		inst.Env = hostEnv()
		if err := inst.Run(); err != nil {
			return "", nil, fmt.Errorf("installing %s (tamago's wrapper clones https://github.com/usbarmory/tamago-go and builds it): %w", tag, err)
		}
	}
	env := append(hostEnv(), "GOOS=tamago", "GOARCH=arm", "GOARM=7", "GOOSPKG="+tamago,
		// tamago-go's GOOSPKG resolution races in its parallel package
		// preloader (Makefile: GOMAXPROCS=1)
		"GOMAXPROCS=1", "GOTOOLCHAIN=local", "GOROOT="+root, "PATH="+filepath.Join(root, "bin")+string(filepath.ListSeparator)+os.Getenv("PATH"))
	return gobin, env, nil
}

// toolchainTag is tamago-go's tag for a tamago module version, as tamago's
// wrapper (cmd/tamago) maps it: v1.26.0 → tamago-go1.26.0; a pseudo-version
// after v1.26.2 → tamago-go1.26.2.
func toolchainTag(v string) (string, error) {
	if !strings.HasPrefix(v, "v1.") {
		return "", fmt.Errorf("unsupported tamago module version %q", v)
	}
	if base, _, ok := strings.Cut(v, "-"); ok {
		parts := strings.SplitN(base, ".", 3)
		if len(parts) != 3 {
			return "", fmt.Errorf("unsupported tamago module version %q", v)
		}
		patch, err := strconv.Atoi(parts[2])
		if err != nil || patch == 0 {
			return "", fmt.Errorf("unsupported tamago module version %q", v)
		}
		parts[2] = strconv.Itoa(patch - 1)
		v = strings.Join(parts, ".")
	}
	return "tamago-go" + strings.TrimPrefix(v, "v"), nil
}

// goNewer reports whether Go version a (1.26.8) is newer than b (1.26.0).
func goNewer(a, b string) bool {
	pa, pb := strings.Split(a, "."), strings.Split(b, ".")
	for i := range max(len(pa), len(pb)) {
		var x, y int
		if i < len(pa) {
			x, _ = strconv.Atoi(pa[i])
		}
		if i < len(pb) {
			y, _ = strconv.Atoi(pb[i])
		}
		if x != y {
			return x > y
		}
	}
	return false
}

// hostEnv is the environment without the firmware's GOOS and friends.
func hostEnv() []string {
	var env []string
	for _, e := range os.Environ() {
		switch k, _, _ := strings.Cut(e, "="); k {
		case "GOOS", "GOARCH", "GOARM", "GOOSPKG", "GOROOT":
		default:
			env = append(env, e)
		}
	}
	return env
}

// goList runs the host's go list in dir and returns its one line.
func goList(dir string, args ...string) (string, error) {
	c := exec.Command("go", append([]string{"list"}, args...)...)
	c.Dir, c.Env = dir, hostEnv()
	var stderr bytes.Buffer
	c.Stderr = &stderr
	out, err := c.Output()
	if err != nil {
		return "", fmt.Errorf("%v: %s", err, strings.TrimSpace(stderr.String()))
	}
	return strings.TrimSpace(string(out)), nil
}

// goEnv is the host go command's value of name in dir.
func goEnv(dir, name string) (string, error) {
	c := exec.Command("go", "env", name)
	c.Dir, c.Env = dir, hostEnv()
	out, err := c.Output()
	return strings.TrimSpace(string(out)), err
}

// runTool runs a tool, its output to w.
func runTool(w io.Writer, name string, args ...string) error {
	c := exec.Command(name, args...)
	c.Stdout, c.Stderr = w, w
	return c.Run()
}

// toolMissing names the Debian package of a tool that is not installed.
func toolMissing(err error, tool, pkg string) error {
	if errors.Is(err, exec.ErrNotFound) {
		return fmt.Errorf("%s not found: install it (Debian: apt-get install %s)", tool, pkg)
	}
	return fmt.Errorf("%s: %w", tool, err)
}

func size(file string) int64 {
	fi, err := os.Stat(file)
	if err != nil {
		return 0
	}
	return fi.Size()
}

// shown is file as the user would type it: relative to the current
// directory when inside it.
func shown(file string) string {
	wd, err := os.Getwd()
	if err != nil {
		return file
	}
	if rel, err := filepath.Rel(wd, file); err == nil && !strings.HasPrefix(rel, "..") {
		return rel
	}
	return file
}
