package imx6

import (
	"errors"
	"fmt"

	"github.com/usbarmory/tamago/soc/nxp/imx6ul"

	"github.com/hotrestart/tamago-hr/board/internal/seq"
)

// spanUnset marks hotSpan before tools/hotspan patched the ELF.
const spanUnset = 0x5053484e // "NHSP"

// hotSpan is [start, end) of the image's writable initialised data, every
// writable PROGBITS section of the ELF. The linker has no symbol for its
// start (.go.buildinfo comes first and is named go:buildinfo), so
// tools/hotspan writes both words into the linked ELF and checks the layout
// (contiguous, BSS right after, fits the save area). cpuinit reads it before
// the span is restored: it is never written at run time.
var hotSpan = [2]uint32{spanUnset, spanUnset}

// bssSkip is [start, end) of a BSS buffer cpuinit leaves as it is, written
// by tools/hotspan like hotSpan: Go 1.26's crypto/internal/fips140/drbg
// memory, the entropy source's 32 MiB scratch buffer, which "doesn't care
// about its contents" (drbg/rand.go: it is in .noptrbss so that programs do
// "not incur any memory use or initialization penalties", true where pages
// are mapped lazily, not on bare metal where cpuinit zeroes the BSS with the
// caches off). spanUnset, or a range outside the BSS, skips nothing.
var bssSkip = [2]uint32{spanUnset, spanUnset}

// BootCosts reports the bytes written to DRAM with the caches off: by
// cpuinit at this boot (the span restored or saved, the BSS zeroed) and by
// the copy routine of the last upgrade switch into this image.
func (SoC) BootCosts() string {
	sa := saveArea()
	s := fmt.Sprintf("%d bytes at this boot (copied %d, zeroed %d; %d left unzeroed)",
		sa.copied+sa.zeroed, sa.copied, sa.zeroed, sa.skipped)
	if sa.routineMagic == routineValid {
		s += fmt.Sprintf("; upgrade copy routine %d bytes", sa.routine)
	}
	return s
}

// RestoreReport says what cpuinit did with the writable data at this boot:
// "hot boot: N bytes at 0xX restored and verified", "saved N bytes at 0xX", or
// why hot reboots are off. Failed is true when the previous boot was a hot
// one whose restored data did not match the pristine checksum, so cpuinit
// reset the SoC through WDOG1 instead.
func (SoC) RestoreReport() (report string, failed bool) {
	sa := saveArea()
	if hotSpan[0] == spanUnset {
		return "off: image not patched by tools/hotspan", false
	}
	n, at := sa.length, sa.start
	switch {
	case sa.state != stateSaved:
		return fmt.Sprintf("off: %d bytes do not fit the %d-byte save area", hotSpan[1]-hotSpan[0], SaveSize), false
	case sa.result == resultOK:
		return fmt.Sprintf("hot boot: %d bytes at %#x restored and verified", n, at), false
	case sa.result == resultSeen:
		return fmt.Sprintf("saved %d bytes at %#x; the previous hot boot failed its check (WDOG1 reset)", n, at), true
	}
	return fmt.Sprintf("saved %d bytes at %#x", n, at), false
}

func maskAll()
func handOff(pc, r0 uint32)
func barrier()
func midr() uint32

// txPolls bounds the wait for the console to drain before a hand-over: a
// full 32-byte FIFO takes 2.8 ms at 115200 baud, far fewer polls than this.
const txPolls = 1 << 20

// ErrNoHotReboot means this boot could not keep the pristine data copy.
var ErrNoHotReboot = errors.New("hot reboot unavailable: no pristine data copy")

// HotReboot restarts the image already in memory without a reset: the
// boot ROM, the DDR controller set-up and the image load are all skipped,
// and DRAM outside the runtime (the bank) is untouched. The board's bus
// masters are stopped (Quiesce) and the console drained first; WDOG1, if
// armed, is reloaded for watchdogMs. It returns only when the save area is
// not usable (ErrNoHotReboot).
func (s SoC) HotReboot(watchdogMs int) error {
	sa := saveArea()
	if sa.state != stateSaved {
		return ErrNoHotReboot
	}
	sa.state = stateHot
	s.handOver(watchdogMs)
	_, _, entry, _ := imageAddrs()
	handOff(entry, 0)
	return nil
}

// handOver readies the board for another boot without a reset, in the
// order silicon needs (Linux _soft_restart, U-Boot cleanup_before_linux):
// IRQ, FIQ and aborts masked first; every GIC interrupt disabled and its
// active state cleared (seq.QuiesceGIC); bus masters stopped by quiesce; the
// console drained (USR2.TXDC), so the last line is not cut; WDOG1, when
// armed, reloaded with its longest timeout (128 s), since the caches go off
// next and the next boot's first steps run uncached. The caller then calls
// handOff, which cleans and turns off the caches and the MMU in assembly.
func (s SoC) handOver(watchdogMs int) {
	maskAll()
	stampHandOver()
	b := mmio{}
	seq.QuiesceGIC(b, imx6ul.GIC_BASE)
	if s.Quiesce != nil {
		s.Quiesce()
	}
	if s.UART != nil {
		seq.WaitTXDone(b, s.UART.Base, txPolls)
	}
	switch {
	case watchdogMs <= 0:
	case imx6ul.Native:
		// the next boot arms it again: until then the longest timeout
		seq.ServiceWatchdog(b, imx6ul.WDOG1_BASE, seq.LongestMs)
	default:
		// QEMU switches the watchdog off at a WCR store (seq.setWCR): a
		// full period from now, the timeout unchanged, for the next boot
		// to reach its arming
		seq.Service(b, imx6ul.WDOG1_BASE)
	}
}

// CPU names the core and its revision from its MIDR, e.g. "Cortex-A7 r0p5
// (MIDR 0x410fc075)".
func (SoC) CPU() string { return seq.DecodeMIDR(midr()) }

// bssCanary is a BSS word nothing writes: it reads zero only because
// cpuinit zeroed the BSS at this boot (tests poison it in RAM before the CPU
// starts and expect 0).
var bssCanary uint32

// BSSCanary returns bssCanary: non-zero means cpuinit did not zero the BSS.
func (SoC) BSSCanary() uint32 { return bssCanary }
