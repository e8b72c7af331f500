// Command gen validates a tunables request and writes the values.go that the
// Makefile overlays on kernel/tunables, so a bad name or value fails the build
// with one clear line.
//
//	go run ./kernel/tunables/gen -o build/values.go 'pmm.rambankSize=0x400000 hrCtrl.maxBadness=5'
package main

import (
	"flag"
	"fmt"
	"os"
	"strings"

	"github.com/hotrestart/tamago-hr/kernel/tunables"
	"github.com/hotrestart/tamago-hr/pmm"
)

func main() {
	out := flag.String("o", "", "output file (default stdout)")
	file := flag.String("f", "", "read assignments from this file too")
	flag.Parse()
	spec := strings.Join(flag.Args(), " ")
	if *file != "" {
		b, err := os.ReadFile(*file)
		if err != nil {
			fail(err)
		}
		spec = string(b) + "\n" + spec
	}
	vals, err := tunables.Parse(spec)
	if err != nil {
		fail(err)
	}
	if err := tunables.Check(vals, geometryCheck); err != nil {
		fail(err)
	}
	src := Generate(vals)
	if *out == "" {
		os.Stdout.Write(src)
		return
	}
	if err := os.WriteFile(*out, src, 0o644); err != nil {
		fail(err)
	}
}

func geometryCheck(size, blocks int) error {
	return pmm.Geometry{Size: size, MaxBlocks: blocks}.Validate()
}

func fail(err error) {
	fmt.Fprintln(os.Stderr, "tunables:", err)
	os.Exit(1)
}
