package imx6

import (
	"errors"
	"runtime"
	"unsafe"

	"github.com/usbarmory/tamago/soc/nxp/imx6ul"

	"github.com/hotrestart/tamago-hr/board/internal/reg"
)

// SaveSize is the hot-reboot save area, which the image must reserve right
// above the runtime's RAM (runtime/goos.RamStart+RamSize): cpuinit keeps the
// pristine initialised data there.
const SaveSize = 1 << 20

const (
	stateHot   = 0x21544f48 // "HOT!", see cpuinit_arm.s
	stateSaved = 0x44564153 // "SAVD"
)

// GIC registers (ARM GIC Architecture Specification v2.0, 4.1.2).
const (
	GICD_CTLR = imx6ul.GIC_BASE + 0x1000 // 4.3.1 Distributor Control Register
	GICC_CTLR = imx6ul.GIC_BASE + 0x2000 // 4.4.1 CPU Interface Control Register
)

func cachesOff()
func jumpToEntry()

func saveArea() *[2]uint32 {
	_, end := runtime.MemRegion()
	return (*[2]uint32)(unsafe.Add(unsafe.Pointer(nil), uintptr(end)))
}

// ErrNoHotReboot means this boot could not keep the pristine data copy.
var ErrNoHotReboot = errors.New("hot reboot unavailable: no pristine data copy")

// HotReboot restarts the image already in memory without a reset: the
// boot ROM, the DDR controller set-up and the image load are all skipped,
// and DRAM outside the runtime (the bank) is untouched. quiesce stops the
// board's bus masters. It returns only when the save area is not usable.
//
// Order matters on silicon, where caches and DMA are real: interrupts off at
// the distributor and the CPU interface, bus masters stopped, the watchdog
// reloaded, the data cache cleaned with allocation still on, then caches off
// and cleaned again (no line may survive to be hit when the next boot turns
// them back on), and only then the MMU off and the jump.
func HotReboot(quiesce func(), watchdogMs int) error {
	sa := saveArea()
	if sa[0] != stateSaved {
		return ErrNoHotReboot
	}
	reg.Write32(GICD_CTLR, 0)
	reg.Write32(GICC_CTLR, 0)
	if quiesce != nil {
		quiesce()
	}
	if watchdogMs > 0 {
		imx6ul.WDOG1.Service(watchdogMs)
	}
	sa[0] = stateHot
	imx6ul.ARM.FlushDataCache()
	cachesOff()
	imx6ul.ARM.FlushDataCache()
	jumpToEntry()
	return nil
}
