// Command kernel is the firmware image: it opens the persistent bank, reads
// the boot record, brings back the restart groups and serves the console.
//
// Boot sequence (see README): bank -> boot record -> banner -> mode (normal
// or safe) -> fault handler and watchdog -> controller + startup script ->
// console.
package main

import (
	"fmt"
	"os"
	"time"

	"github.com/hotrestart/tamago-hr/kernel/bootrec"
	"github.com/hotrestart/tamago-hr/kernel/console"
	"github.com/hotrestart/tamago-hr/kernel/tunables"
	"github.com/hotrestart/tamago-hr/pmm"
)

// kernel is the system-wide state main wires together.
type kernel struct {
	bank    *pmm.Bank
	bankRep pmm.OpenReport
	rec     bootrec.Record
	recs    *bootrec.Store
	prevLog []byte
	booted  time.Time
	clock0  uint64 // persistent clock at this boot's start
	shell   *console.Shell
	cold    bool
	reason  string
}

var k kernel

func main() {
	k.booted = time.Now()
	if err := k.openBank(); err != nil {
		// Without a bank there is nothing to keep: say so and offer the
		// console, which can still reboot.
		fmt.Printf("hr: bank unusable: %v\n", err)
	}
	k.shell = console.New()
	k.addCommands()
	s := console.NewSession(consoleRW{})
	for {
		if err := s.Serve(k.shell); err != nil {
			fmt.Fprintf(os.Stderr, "hr: console: %v\n", err)
		}
	}
}

// bankGeometry is the geometry the tunables ask for.
func bankGeometry() pmm.Geometry {
	return pmm.Geometry{Size: bankBytes, MaxBlocks: tunables.MaxBlocks}
}

// uptimeMs is this boot's age.
func uptimeMs() uint64 { return uint64(time.Since(k.booted) / time.Millisecond) }

// persistentClock is the uptime summed over every boot of this bank.
func persistentClock() uint64 { return k.clock0 + uptimeMs() }
