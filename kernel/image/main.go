// Command image is the built-in firmware image: the kernel with the example
// programs (actors/examples). It is built through the same public API as
// any user's image (README "Write your own service"): `make` builds it.
package main

import (
	"github.com/hotrestart/tamago-hr/actors/examples"
	"github.com/hotrestart/tamago-hr/kernel"
)

func main() {
	kernel.Main(kernel.Config{Programs: examples.Set{Undefined: kernel.UndefinedInstruction}.Register})
}
