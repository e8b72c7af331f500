//go:build !tamago

package kernel

// The kernel also builds on the host, for its tests (kernel_test.go): there
// is no board there (a test installs a fake one), and kernel/trap installs
// no CPU exception vectors and no runtime exit hook.
var hw Board
