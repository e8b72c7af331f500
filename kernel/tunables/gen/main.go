// Command gen validates a tunables request and writes the values.go that an
// image's build overlays on board/tunables, so a bad name or value fails the
// build with one clear line. With -manifest it also writes the image's
// upgrade manifest (kernel/upgrade), which the build adds to the linked ELF
// as its .hr.manifest section. tools/hrbuild, which the Makefile runs, does
// the same through kernel/tunables/tunegen; this command is for a build by
// hand.
//
//	go run ./kernel/tunables/gen -o build/values.go 'pmm.rambankSize=0x400000 hrCtrl.maxBadness=5'
//	go run ./kernel/tunables/gen -o build/values.go -manifest build/manifest -version v2 -security 1 -board mx6ullevk
//	    [-upgrade-key minisign.pub] [-ssh-console]   (what the image protects: upgrade.Protections)
package main

import (
	"flag"
	"fmt"
	"os"
	"strings"

	"github.com/hotrestart/tamago-hr/kernel/tunables/tunegen"
)

func main() {
	out := flag.String("o", "", "output file (default stdout)")
	file := flag.String("f", "", "read assignments from this file too")
	manifest := flag.String("manifest", "", "also write the upgrade manifest to this file")
	version := flag.String("version", "", "the image's version, for the manifest")
	security := flag.String("security", "0", "the image's security version, for the manifest (make SECURITY_VERSION=)")
	board := flag.String("board", "", "the image's board (TARGET), for the manifest")
	key := flag.String("upgrade-key", "", "check this minisign public key file (make UPGRADE_KEY=)")
	sshConsole := flag.Bool("ssh-console", false, "the image has authorized keys built in (make AUTHORIZED_KEYS=), for the manifest")
	flag.Parse()
	spec := strings.Join(flag.Args(), " ")
	if *file != "" {
		b, err := os.ReadFile(*file)
		if err != nil {
			fail(err)
		}
		spec = string(b) + "\n" + spec
	}
	vals, err := tunegen.Values(spec)
	if err != nil {
		fail(err)
	}
	if *key != "" {
		if err := tunegen.CheckKey(*key); err != nil {
			fail(err)
		}
	}
	if *manifest != "" {
		m, err := tunegen.Manifest(tunegen.Image{Version: *version, Security: *security, Board: *board, UpgradeKey: *key, SSHConsole: *sshConsole}, vals)
		if err == nil {
			err = os.WriteFile(*manifest, m, 0o644)
		}
		if err != nil {
			fail(err)
		}
	}
	src := tunegen.Generate(vals)
	if *out == "" {
		os.Stdout.Write(src)
		return
	}
	if err := os.WriteFile(*out, src, 0o644); err != nil {
		fail(err)
	}
}

func fail(err error) {
	fmt.Fprintln(os.Stderr, "tunables:", err)
	os.Exit(1)
}
