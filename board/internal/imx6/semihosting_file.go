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
	sysErrno = 0x13
	// SYS_OPEN mode "r+b": the host's O_RDWR, neither created nor
	// truncated. Only this mode opens a FIFO without blocking (Linux: a
	// read-only open waits for a writer, and QEMU with it), and it refuses
	// a directory (EISDIR).
	modeRBPlus = 3
)

// Host errno values SYS_ERRNO returns (Linux, and GDB's File-I/O).
const (
	errnoNoEnt = 2
	errnoAcces = 13
	errnoIsDir = 21
	errnoRoFS  = 30
)

func semihostingCall(op uint32, arg uintptr) int32

// ErrNoHost means there is no semihosting host: the image runs on silicon.
var ErrNoHost = errors.New("no semihosting host (not under QEMU -semihosting)")

// ReadHostFile reads the host file at path through semihosting, in chunks
// of chunk bytes, calling progress with the bytes read so far. At most max
// bytes are accepted. It works only under an emulator started with
// semihosting on; on silicon it returns ErrNoHost (the SVC would trap).
//
// Only a regular file with data is read, and never with a call that can
// block the emulator: semihosting has no stat, so the file is opened
// read-write (modeRBPlus), which a FIFO, unlike a read-only open, does not
// block, and which a directory refuses; a length of 0 (a FIFO, a device,
// an empty file) is refused. A file QEMU may not open for writing is
// refused too, since it could be a FIFO.
func (SoC) ReadHostFile(path string, max, chunk int, progress func(done, total int)) ([]byte, error) {
	if imx6ul.Native {
		return nil, ErrNoHost
	}
	name := append([]byte(path), 0)
	open := [3]uint32{uint32(uintptr(unsafe.Pointer(&name[0]))), modeRBPlus, uint32(len(path))}
	h := semihostingCall(sysOpen, uintptr(unsafe.Pointer(&open)))
	if h < 0 {
		switch errno := semihostingCall(sysErrno, 0); errno {
		case errnoIsDir:
			return nil, fmt.Errorf("%s: a directory, not a file", path)
		case errnoAcces, errnoRoFS:
			return nil, fmt.Errorf("%s: QEMU may not open it read-write, the one open that cannot hang on a FIFO (semihosting has no stat): make it writable or copy it", path)
		case errnoNoEnt:
			return nil, fmt.Errorf("%s: cannot open on the host", path)
		default:
			return nil, fmt.Errorf("%s: cannot open on the host (errno %d)", path, errno)
		}
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
	case n == 0:
		return nil, fmt.Errorf("%s: empty or not a regular file (a FIFO, a device): only a regular file is read", path)
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
