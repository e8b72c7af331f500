// Command hrbuild builds a Hot Restart for TamaGo firmware: the image of
// any main package that calls kernel.Main, in this module or in your own,
// with no checkout of this one. It is the project's one build: the
// Makefile's image, imx and qemu targets run it too.
//
// In your own module (README "Write your own service"):
//
//	go get -tool github.com/hotrestart/tamago-hr/tools/hrbuild
//	go tool hrbuild image -name myfw           # build/myfw.elf
//	go tool hrbuild qemu -name myfw            # build it and boot it under QEMU, console on stdio
//	go tool hrbuild imx -name myfw -target usbarmory   # build/myfw.imx for the USB armory Mk II
//
// Each step is what the Makefile did: the tunables checked and laid over
// the committed defaults (an -overlay of board/tunables/values.go), the
// startup script, authorized keys and upgrade key laid over theirs, the
// upgrade manifest written and added to the ELF as its .hr.manifest section
// (arm-none-eabi-objcopy), the hot-reboot span written into the ELF
// (tools/hotspan), and for imx the flat binary of the loaded sections and
// its i.MX boot image (mkimage, tamago's imximage.cfg). The compiler is
// tamago-go at the tamago version your module requires, from the user cache
// (installed there by tamago's own wrapper the first time, about 7 minutes).
// Output goes to -o (build/ of the current directory).
package main

import (
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"strings"
)

const usage = `usage: hrbuild image|imx|qemu [flags] [PACKAGE]

  image   build the ELF image OUT/NAME.elf
  imx     build it and its i.MX boot image OUT/NAME.imx, with tamago's DCD for -target
  qemu    build it and boot it under qemu-system-arm, console on stdio

PACKAGE is the firmware's main package (default "."), built from -C's module.
Flags:
`

func main() {
	err := run(os.Args[1:], os.Stdout, os.Stderr)
	var status exitStatus
	switch {
	case err == nil:
	case errors.As(err, &status):
		os.Exit(int(status))
	case errors.Is(err, flag.ErrHelp):
		os.Exit(2)
	default:
		fmt.Fprintln(os.Stderr, "hrbuild:", err)
		os.Exit(1)
	}
}

func run(args []string, stdout, stderr io.Writer) error {
	if len(args) == 0 || strings.HasPrefix(args[0], "-") || args[0] == "help" {
		fmt.Fprint(stderr, usage)
		newFlags(&Options{}, stderr).PrintDefaults()
		return flag.ErrHelp
	}
	cmd := args[0]
	var o Options
	fs := newFlags(&o, stderr)
	fs.Usage = func() { fmt.Fprint(stderr, usage); fs.PrintDefaults() }
	if err := fs.Parse(args[1:]); err != nil {
		return err
	}
	switch fs.NArg() {
	case 0:
		o.Package = "."
	case 1:
		o.Package = fs.Arg(0)
	default:
		return fmt.Errorf("one package at most, not %q", fs.Args())
	}
	switch cmd {
	case "image":
	case "imx", "qemu":
	default:
		return fmt.Errorf("unknown command %q (image, imx or qemu)", cmd)
	}
	if err := o.resolve(); err != nil {
		return err
	}
	b := &builder{o: o, out: stdout, errOut: stderr}
	elf, err := b.image()
	if err != nil {
		return err
	}
	switch cmd {
	case "imx":
		return b.imx(elf)
	case "qemu":
		return b.qemu(elf)
	}
	return nil
}
