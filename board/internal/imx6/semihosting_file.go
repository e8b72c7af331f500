package imx6

import (
	"errors"
	"fmt"
	"unsafe"

	"github.com/usbarmory/tamago/soc/nxp/imx6ul"
)

// ARM semihosting file operations (ARM DUI 0471, "Semihosting operations").
const (
	sysOpen  = 0x01
	sysClose = 0x02
	sysRead  = 0x06
	sysFlen  = 0x0c
	modeRB   = 1 // SYS_OPEN mode "rb"
)

func semihostingCall(op uint32, arg uintptr) int32

// ErrNoHost means there is no semihosting host: the image runs on silicon.
var ErrNoHost = errors.New("no semihosting host (not under QEMU -semihosting)")

// ReadHostFile reads the host file at path through semihosting, in chunks
// of chunk bytes, calling progress with the bytes read so far. At most max
// bytes are accepted. It works only under an emulator started with
// semihosting on; on silicon it returns ErrNoHost (the SVC would trap).
func ReadHostFile(path string, max, chunk int, progress func(done, total int)) ([]byte, error) {
	if imx6ul.Native {
		return nil, ErrNoHost
	}
	name := append([]byte(path), 0)
	open := [3]uint32{uint32(uintptr(unsafe.Pointer(&name[0]))), modeRB, uint32(len(path))}
	h := semihostingCall(sysOpen, uintptr(unsafe.Pointer(&open)))
	if h < 0 {
		return nil, fmt.Errorf("%s: cannot open on the host", path)
	}
	defer func() {
		arg := [1]uint32{uint32(h)}
		semihostingCall(sysClose, uintptr(unsafe.Pointer(&arg)))
	}()
	arg := [1]uint32{uint32(h)}
	n := semihostingCall(sysFlen, uintptr(unsafe.Pointer(&arg)))
	switch {
	case n < 0:
		return nil, fmt.Errorf("%s: size unknown", path)
	case int(n) > max:
		return nil, fmt.Errorf("%s: %d bytes, more than the %d this board can stage", path, n, max)
	}
	buf := make([]byte, n)
	for done := 0; done < len(buf); {
		want := min(chunk, len(buf)-done)
		rd := [3]uint32{uint32(h), uint32(uintptr(unsafe.Pointer(&buf[done]))), uint32(want)}
		left := semihostingCall(sysRead, uintptr(unsafe.Pointer(&rd)))
		got := want - int(left)
		if left < 0 || got <= 0 {
			return nil, fmt.Errorf("%s: read stopped at %d of %d bytes", path, done, len(buf))
		}
		done += got
		if progress != nil {
			progress(done, len(buf))
		}
	}
	return buf, nil
}
