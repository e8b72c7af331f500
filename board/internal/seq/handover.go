package seq

// GIC distributor and CPU interface (GICv2 4.1.2, 4.3, 4.4).
const (
	GICD_OFFSET    = 0x1000
	GICC_OFFSET    = 0x2000
	GICD_CTLR      = 0x000 // 4.3.1
	GICD_TYPER     = 0x004 // 4.3.2: ITLinesNumber in [4:0]
	GICD_ICENABLER = 0x180 // 4.3.6 Interrupt Clear-Enable Registers
	GICD_ICACTIVER = 0x380 // 4.3.10 Interrupt Clear-Active Registers
	GICC_CTLR      = 0x000 // 4.4.1
	UART_USR2      = 0x98  // IMX6ULLRM 55.15.8 UART Status Register 2
	USR2_TXDC      = 3     // transmitter complete: shift register and FIFO empty
)

// QuiesceGIC turns the interrupt controller off for a hand-over: the
// distributor and the CPU interface disabled, then every interrupt the
// distributor implements (32 × (ITLinesNumber+1)) disabled and its active
// state cleared, so the next boot starts from no enabled, no active
// interrupt whatever it then enables (Linux gic_dist_config,
// gic_cpu_if_down).
func QuiesceGIC(b Bus, gicBase uint32) {
	d, c := gicBase+GICD_OFFSET, gicBase+GICC_OFFSET
	b.Write32(d+GICD_CTLR, 0)
	b.Write32(c+GICC_CTLR, 0)
	lines := b.Read32(d+GICD_TYPER)&0x1f + 1
	for i := uint32(0); i < lines; i++ {
		b.Write32(d+GICD_ICENABLER+4*i, 0xffffffff)
	}
	for i := uint32(0); i < lines; i++ {
		b.Write32(d+GICD_ICACTIVER+4*i, 0xffffffff)
	}
}

// WaitTXDone polls the UART at base until its transmitter is empty
// (USR2.TXDC), at most polls times, so that the last line printed before a
// hand-over leaves the pins; false if it did not drain.
func WaitTXDone(b Bus, base uint32, polls int) bool {
	for range polls {
		if b.Read32(base+UART_USR2)&(1<<USR2_TXDC) != 0 {
			return true
		}
	}
	return false
}
