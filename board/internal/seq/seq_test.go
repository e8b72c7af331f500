package seq

import (
	"fmt"
	"testing"

	"github.com/stretchr/testify/assert"
)

// fakeBus is MMIO as a map, with every access logged in order.
type fakeBus struct {
	mem map[uint32]uint32
	log []string
	// reads, when set, answers a read of addr from a queue (a register
	// that changes between reads).
	reads map[uint32][]uint32
}

func newBus() *fakeBus { return &fakeBus{mem: map[uint32]uint32{}, reads: map[uint32][]uint32{}} }

func (f *fakeBus) read(addr uint32) uint32 {
	if q := f.reads[addr]; len(q) > 0 {
		f.reads[addr] = q[1:]
		return q[0]
	}
	return f.mem[addr]
}

func (f *fakeBus) Read16(addr uint32) uint16 {
	v := uint16(f.read(addr))
	f.log = append(f.log, fmt.Sprintf("r16 %#x = %#x", addr, v))
	return v
}

func (f *fakeBus) Write16(addr uint32, v uint16) {
	f.mem[addr] = uint32(v)
	f.log = append(f.log, fmt.Sprintf("w16 %#x %#x", addr, v))
}

func (f *fakeBus) Read32(addr uint32) uint32 {
	v := f.read(addr)
	f.log = append(f.log, fmt.Sprintf("r32 %#x = %#x", addr, v))
	return v
}

func (f *fakeBus) Write32(addr uint32, v uint32) {
	f.mem[addr] = v
	f.log = append(f.log, fmt.Sprintf("w32 %#x %#x", addr, v))
}

func TestConfigureWarmResetFromLinuxCold(t *testing.T) {
	b := newBus()
	// as Linux/U-Boot leave it
	b.mem[CCM_CCDR] = 0x00030000 | 0x324 // both MMDC handshake masks set
	b.mem[SRC_SCR] = 0b1010<<7 | 1<<13   // warm reset off; a core reset bit, never written back
	ConfigureWarmReset(b)
	assert.Equal(t, []string{
		"r32 0x20c4004 = 0x30324",
		"w32 0x20c4004 0x20324", // only the CH1 handshake mask (bit 16) cleared
		"r32 0x20d8000 = 0x2500",
		"w32 0x20d8000 0x561", // warm_reset_enable, bypass 64 CKIL, wdog not masked
	}, b.log)
}

func TestWarmResetSCRUnmasksWatchdog(t *testing.T) {
	// a boot loader that masked WDOG resets (0b0101) and chose to wait for ever
	assert.Equal(t, uint32(1|0b11<<5|0b1010<<7), WarmResetSCR(0b0101<<7))
}

func TestDecodeSRSR(t *testing.T) {
	assert.Equal(t, "", DecodeSRSR(0))
	assert.Equal(t, "power-on (ipp_reset_b)", DecodeSRSR(1))
	assert.Equal(t, "watchdog (wdog_rst_b), warm boot", DecodeSRSR(1<<4|1<<16))
	assert.Equal(t, "CSU, user reset (ipp_user_reset_b), JTAG HIGH-Z, JTAG software, WDOG3, temperature sensor", DecodeSRSR(0x1ec))
}

func TestTakeResetStatusClearsWhatItRead(t *testing.T) {
	b := newBus()
	b.mem[SRC_SRSR] = 0x10011
	assert.Equal(t, uint32(0x10011), TakeResetStatus(b))
	assert.Equal(t, []string{"r32 0x20d8008 = 0x10011", "w32 0x20d8008 0x10011"}, b.log)
}

func TestWarmResetWCR(t *testing.T) {
	// tamago's reset value 0x30 (WDA, SRS high) with WDE and WT set
	wcr := uint16(0x7f34)
	assert.Equal(t, uint16(0x7f24), WarmResetWCR(wcr, true), "silicon: SRS low, WDA high")
	assert.Equal(t, uint16(0x7f04), WarmResetWCR(wcr, false), "QEMU: both low in one store")
	assert.Equal(t, uint16(0x7f24), WarmResetWCR(wcr&^(1<<WCR_WDA), true), "WDA raised if it was low")
}

func TestArmWatchdogOneStoreNoWDT(t *testing.T) {
	b := newBus()
	b.mem[WDOG1_BASE+WCR] = 0x0030
	ArmWatchdog(b, WDOG1_BASE, 4000)
	assert.Equal(t, []string{"r16 0x20bc000 = 0x30", "w16 0x20bc000 0x734", "w16 0x20bc002 0x5555", "w16 0x20bc002 0xaaaa"}, b.log)
	assert.Equal(t, uint16(0xff34), ArmWCR(0x30, 1<<30), "WT clamped to 128 s")
	assert.Equal(t, uint16(0x0034), ArmWCR(0x30, 100), "WT clamped to 0.5 s")
	assert.Equal(t, uint16(0x0134), ArmWCR(0x38, 1000), "WDT cleared")
}

// Once armed, WCR is stored again only for a new value: QEMU's model
// switches the watchdog off at any later WCR store (setWCR).
func TestWatchdogWCRStoredOnlyWhenItChanges(t *testing.T) {
	b := newBus()
	b.mem[WDOG1_BASE+WCR] = 0x0734
	ArmWatchdog(b, WDOG1_BASE, 4000) // a hot reboot's next boot
	ServiceWatchdog(b, WDOG1_BASE, 4000)
	assert.Equal(t, []string{
		"r16 0x20bc000 = 0x734", "w16 0x20bc002 0x5555", "w16 0x20bc002 0xaaaa",
		"r16 0x20bc000 = 0x734", "w16 0x20bc002 0x5555", "w16 0x20bc002 0xaaaa",
	}, b.log)
}

func TestServiceWatchdogLongest(t *testing.T) {
	b := newBus()
	b.mem[WDOG1_BASE+WCR] = 0x0734
	ServiceWatchdog(b, WDOG1_BASE, LongestMs)
	assert.Equal(t, []string{
		"r16 0x20bc000 = 0x734",
		"w16 0x20bc000 0xff34",
		"w16 0x20bc002 0x5555",
		"w16 0x20bc002 0xaaaa",
	}, b.log)
}

func TestQuiesceGIC(t *testing.T) {
	b := newBus()
	const gic = 0x00a00000
	b.mem[gic+GICD_OFFSET+GICD_TYPER] = 0x24 // ITLinesNumber 4: 160 interrupts
	QuiesceGIC(b, gic)
	want := []string{
		"w32 0xa01000 0x0",
		"w32 0xa02000 0x0",
		"r32 0xa01004 = 0x24",
	}
	for i := range 5 {
		want = append(want, fmt.Sprintf("w32 %#x 0xffffffff", gic+GICD_OFFSET+GICD_ICENABLER+4*i))
	}
	for i := range 5 {
		want = append(want, fmt.Sprintf("w32 %#x 0xffffffff", gic+GICD_OFFSET+GICD_ICACTIVER+4*i))
	}
	assert.Equal(t, want, b.log)
}

func TestWaitTXDone(t *testing.T) {
	b := newBus()
	const uart = 0x02020000
	b.reads[uart+UART_USR2] = []uint32{0, 0, 1 << USR2_TXDC}
	assert.True(t, WaitTXDone(b, uart, 10))
	assert.Len(t, b.log, 3)
	b = newBus()
	assert.False(t, WaitTXDone(b, uart, 4), "a UART that never drains is given up")
	assert.Len(t, b.log, 4)
}

func TestDecodeMIDR(t *testing.T) {
	assert.Equal(t, "Cortex-A7 r0p5 (MIDR 0x410fc075)", DecodeMIDR(0x410fc075))
	assert.Equal(t, "Cortex-A9 r2p10 (MIDR 0x412fc09a)", DecodeMIDR(0x412fc09a))
	assert.Equal(t, "unknown core r0p0 (MIDR 0x00000000)", DecodeMIDR(0))
}

func TestCheckWarmReset(t *testing.T) {
	b := newBus()
	b.mem[CCM_CCDR] = 0x30324
	b.mem[SRC_SCR] = 0b1010 << 7
	assert.EqualError(t, CheckWarmReset(b), "SRC_SCR 0x00000500: warm_reset_enable is off, every reset is cold")
	ConfigureWarmReset(b)
	assert.NoError(t, CheckWarmReset(b))
	b.mem[SRC_SCR] = WarmResetSCR(0)&^(0b1111<<7) | 0b0101<<7
	assert.EqualError(t, CheckWarmReset(b), "SRC_SCR 0x000002e1: WDOG resets are masked")
	b.mem[SRC_SCR] = WarmResetSCR(0)
	b.mem[CCM_CCDR] |= 1 << 16
	assert.EqualError(t, CheckWarmReset(b), "CCM_CCDR 0x00030324: the MMDC handshake is masked, DRAM is not put in self-refresh")
}

func TestCheckWatchdog(t *testing.T) {
	assert.NoError(t, CheckWatchdog(ArmWCR(0x30, 4000), 4000))
	assert.EqualError(t, CheckWatchdog(0x0730, 4000), "WCR 0x0730: not enabled")
	assert.EqualError(t, CheckWatchdog(ArmWCR(0x30, 2000), 4000), "WCR 0x0334: timeout 2000 ms, want 4000 ms")
	assert.EqualError(t, CheckWatchdog(ArmWCR(0x30, 4000)|1<<WCR_WDT, 4000), "WCR 0x073c: WDT set, a timeout also asserts WDOG_B")
}
