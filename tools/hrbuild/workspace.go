package main

import (
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"strings"
)

// The go command refuses an -overlay of a file in the module cache, where
// the kernel is when the firmware's module requires this one (not a
// checkout, not a replace). The build then lays its files over a copy of
// the module it keeps in OUT/.hrwork/NAME/mod, which a workspace file
// OUT/.hrwork/NAME/go.work puts in the cache's place for this build only
// (one per image name, so builds of other images do not meet): the user's
// go.mod is not changed and no replace is written into it.

// inModCache reports whether dir is in the module cache.
func inModCache(dir, cache string) bool {
	rel, err := filepath.Rel(cache, dir)
	return cache != "" && err == nil && rel != "." && !strings.HasPrefix(rel, "..")
}

// workspace copies the module at modDir into OUT/.hrwork/NAME/mod and
// writes go.work beside it, using the firmware's module (its root, userRoot) with this
// module replaced by the copy. It returns the copy and the go.work file.
func workspace(out, name, modDir, userRoot string) (string, string, error) {
	dir := filepath.Join(out, ".hrwork", name)
	dst := filepath.Join(dir, "mod")
	if err := os.RemoveAll(dst); err != nil {
		return "", "", err
	}
	err := filepath.WalkDir(modDir, func(path string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		rel, err := filepath.Rel(modDir, path)
		if err != nil {
			return err
		}
		to := filepath.Join(dst, rel)
		if d.IsDir() {
			return os.MkdirAll(to, 0o755)
		}
		if !d.Type().IsRegular() {
			return nil
		}
		data, err := os.ReadFile(path)
		if err != nil {
			return err
		}
		return os.WriteFile(to, data, 0o644)
	})
	if err != nil {
		return "", "", fmt.Errorf("copying %s: %w", Module, err)
	}
	work := filepath.Join(dir, "go.work")
	text := fmt.Sprintf("// Written by hrbuild for one build (tools/hrbuild/workspace.go); not yours to edit.\ngo 1.26.0\n\nuse %q\n\nreplace %s => %q\n", userRoot, Module, dst)
	if err := os.WriteFile(work, []byte(text), 0o644); err != nil {
		return "", "", err
	}
	return dst, work, nil
}

// withoutModFlag is GOFLAGS without -mod=…, which workspace mode refuses
// (only readonly or vendor).
func withoutModFlag(goflags string) string {
	var keep []string
	for _, f := range strings.Fields(goflags) {
		if !strings.HasPrefix(f, "-mod=") && !strings.HasPrefix(f, "--mod=") {
			keep = append(keep, f)
		}
	}
	return strings.Join(keep, " ")
}
