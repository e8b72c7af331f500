//go:build !tamago

package kernel

// The kernel also builds on the host, for its tests (kernel_test.go): there
// is no board there (the tests boot on a fake one, boot(board, …)), and
// kernel/trap installs no CPU exception vectors and no runtime exit hook.
// hw, which only Main reads, is nil.
var hw Board
