// Command checkkeys validates the authorized_keys file that `make image
// AUTHORIZED_KEYS=…` builds into the image, on the host, so that a typo fails
// the build instead of leaving a board without its network console.
//
//	go run ./kernel/netconsole/checkkeys FILE
package main

import (
	"fmt"
	"os"

	"golang.org/x/crypto/ssh"

	"github.com/hotrestart/tamago-hr/kernel/netconsole"
)

func main() {
	if err := run(os.Args[1:]); err != nil {
		fmt.Fprintf(os.Stderr, "checkkeys: %v\n", err)
		os.Exit(1)
	}
}

func run(args []string) error {
	if len(args) != 1 {
		return fmt.Errorf("usage: checkkeys AUTHORIZED_KEYS_FILE")
	}
	data, err := os.ReadFile(args[0])
	if err != nil {
		return err
	}
	keys, err := netconsole.ParseAuthorizedKeys(data)
	if err != nil {
		return fmt.Errorf("%s: %w", args[0], err)
	}
	if len(keys) == 0 {
		return fmt.Errorf("%s: no key in it (leave AUTHORIZED_KEYS unset for an image without network console)", args[0])
	}
	for _, k := range keys {
		fmt.Printf("authorized key: %s %s\n", k.Type(), ssh.FingerprintSHA256(k))
	}
	return nil
}
