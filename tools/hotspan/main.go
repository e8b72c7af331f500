// Command hotspan finds, in a linked firmware ELF, the span of memory a hot
// reboot must restore to make the image what the loader left — every
// writable PROGBITS section (Go 1.26: .go.buildinfo, .go.fipsinfo,
// .go.module with runtime.firstmoduledata, .noptrdata, .data) — checks the
// layout cpuinit relies on, and writes the span into the image's hotSpan
// variable (board/internal/imx6). The Makefile runs it after every link:
//
//	go run ./tools/hotspan build/hr-mx6ullevk.elf          patch, then check
//	go run ./tools/hotspan -check build/hr-mx6ullevk.elf   check only
//
// Checked: the writable PROGBITS sections are contiguous (alignment padding
// only) with no other allocated section among them; the span ends at
// runtime.edata; the BSS sections follow it, from runtime.bss to
// runtime.enoptrbss, with nothing loaded after them; the span is word
// aligned and fits the save area. Any violation fails the build with one
// line naming the sections.
package main

import (
	"flag"
	"fmt"
	"os"

	"github.com/hotrestart/tamago-hr/tools/hotspan/span"
)

func main() {
	check := flag.Bool("check", false, "check only: the image's hotSpan must already hold the span")
	flag.Usage = func() {
		fmt.Fprintln(os.Stderr, "usage: hotspan [-check] IMAGE.elf")
		flag.PrintDefaults()
	}
	flag.Parse()
	if flag.NArg() != 1 {
		flag.Usage()
		os.Exit(2)
	}
	sp, err := span.Apply(flag.Arg(0), !*check)
	if err != nil {
		fmt.Fprintln(os.Stderr, "hotspan:", err)
		os.Exit(1)
	}
	fmt.Printf("hotspan: %s\n", sp)
}
