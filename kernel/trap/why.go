package trap

import (
	"runtime"
	"unsafe"
)

// whyBuf holds a fatal fault's reason with its function name: the
// exception path must not allocate, and only one fatal fault ever runs.
var whyBuf [192]byte

// withFunc appends " in FUNCTION" to why when pc is in Go code, so that a
// fault outside any actor names where it happened, not only the PC. The
// name comes from the pclntab (no allocation for non-generic functions).
func withFunc(why string, pc uintptr) string {
	fn := runtime.FuncForPC(pc)
	if fn == nil {
		return why
	}
	n := copy(whyBuf[:], why)
	n += copy(whyBuf[n:], " in ")
	n += copy(whyBuf[n:], fn.Name())
	return unsafe.String(&whyBuf[0], n)
}

// printHex prints v as 0x%08x without allocating.
func printHex(v uint32) {
	var b [10]byte
	b[0], b[1] = '0', 'x'
	for i := 9; i >= 2; i-- {
		b[i] = "0123456789abcdef"[v&0xf]
		v >>= 4
	}
	for _, c := range b {
		printk(c)
	}
}
