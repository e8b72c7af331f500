// Command statedecl writes the manifest lines that record the state types
// a firmware's programs declare (actors.WithState) and the explicit
// migrations it registers (actors.RegisterMigration), read from the Go
// source of the firmware's packages with their types (the build's tags and
// target), so that a running image can refuse, before the switch, an
// upgrade whose types cannot take a state in its bank:
//
//	state.NAME=<layout>[ <layout>…]   each layout declared for state NAME, hex
//	statemig.N=<old layout> <new layout>
//
// A layout is the descriptor a state block keeps (actors.Layout.Encode).
// A declaration whose name is not a constant, or whose type cannot be
// state, is an error naming it: the build stops.
//
//	go run ./tools/statedecl -dir APPDIR -tags TAGS -goroot TAMAGO_GOROOT [PACKAGE]
//
// tools/hrbuild, the build, does the same through tools/statedecl/decl.
package main

import (
	"flag"
	"fmt"
	"os"
	"strings"

	"github.com/hotrestart/tamago-hr/tools/statedecl/decl"
)

func main() {
	dir := flag.String("dir", ".", "the module directory the firmware builds from")
	tags := flag.String("tags", "", "build tags, comma-separated, as the image build's")
	goroot := flag.String("goroot", "", "the tamago-go GOROOT (its bin/go lists the packages); empty: go on PATH")
	flag.Parse()
	pkg := "."
	if flag.NArg() > 0 {
		pkg = flag.Arg(0)
	}
	if *goroot != "" { // go/packages runs the go found on this process's PATH
		_ = os.Setenv("PATH", *goroot+"/bin:"+os.Getenv("PATH"))
	}
	env := append(os.Environ(), "GOOS=tamago", "GOARCH=arm", "GOARM=7", "GOOSPKG=github.com/usbarmory/tamago")
	lines, err := decl.Lines(*dir, env, *tags, pkg)
	if err != nil {
		fmt.Fprintf(os.Stderr, "statedecl: %v\n", err)
		os.Exit(1)
	}
	fmt.Print(strings.Join(lines, ""))
}
