package imx6

import (
	"unsafe"

	"github.com/usbarmory/tamago/soc/nxp/imx6ul"
)

// ARM semihosting (ARM DUI 0471, "Semihosting operations").
const (
	sysExitExtended       = 0x20
	adpStoppedApplication = 0x20026
)

func semihosting(op uint32, arg uintptr)

// Exit ends an emulated run with status code through SYS_EXIT_EXTENDED (plain
// SYS_EXIT always yields status 0 on AArch32). On silicon there is no host to
// return to: it reports false and does nothing.
func (SoC) Exit(code int) bool {
	if imx6ul.Native {
		return false
	}
	block := [2]uint32{adpStoppedApplication, uint32(code)}
	semihosting(sysExitExtended, uintptr(unsafe.Pointer(&block)))
	return true
}
