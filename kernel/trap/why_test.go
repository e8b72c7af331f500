package trap

import (
	"reflect"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
)

func namedForTest() {}

// A fault in Go code is named by its function, in whyBuf; elsewhere why
// stays as it is; a reason longer than whyBuf is cut, never overflows.
func TestWithFunc(t *testing.T) {
	pc := reflect.ValueOf(namedForTest).Pointer()
	assert.Equal(t, "CPU fault outside any actor in github.com/hotrestart/tamago-hr/kernel/trap.namedForTest",
		withFunc("CPU fault outside any actor", pc))
	assert.Equal(t, "no code here", withFunc("no code here", 0))
	long := strings.Repeat("x", 200)
	assert.Equal(t, long[:len(whyBuf)], withFunc(long, pc))
}

// printHex prints eight hex digits, through printk.
func TestPrintHex(t *testing.T) {
	uart := fresh(t)
	install(uart)
	for _, v := range []uint32{0, 0xbeef, 0xffffffff} {
		printHex(v)
		printk(' ')
	}
	assert.Equal(t, "0x00000000 0x0000beef 0xffffffff ", uart.String())
}

// The exception path allocates nothing: printk into the ring and the UART,
// printHex, withFunc for a non-generic function, the actor table.
func TestExceptionPathDoesNotAllocate(t *testing.T) {
	fresh(t)
	var sent int
	Install(Hooks{Tx: func(byte) { sent++ }})
	AttachLog(make([]byte, 4096))
	pc := reflect.ValueOf(namedForTest).Pointer()
	for name, fn := range map[string]func(){
		"printk":   func() { printk('\n') },
		"printHex": func() { printHex(0x80010000) },
		"withFunc": func() { _ = withFunc("fault", pc) },
		"isActor":  func() { _ = isActor(0x1234) },
	} {
		assert.Zero(t, testing.AllocsPerRun(100, fn), name)
	}
	assert.NotZero(t, sent)
}
