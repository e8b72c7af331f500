// cpuinit (tag linkcpuinit) is the first code to run, before any Go. Besides
// what tamago's own cpuinit does (stack pointer, leave HYP, System mode) it
// implements the hot reboot's memory side:
//
//   - any boot but a hot one: .noptrdata/.data are pristine (just loaded), so
//     they are copied to the save area right above the runtime's RAM;
//   - a hot boot (HOT marker): the marker is consumed, the pristine copy is
//     put back over .noptrdata/.data and .bss/.noptrbss are zeroed, which
//     is what the loader would have done.
//
// Save area header: +0 state, +4 data length, data from +16.

#include "go_asm.h"
#include "textflag.h"

#define STATE_HOT   0x21544f48	// "HOT!"
#define STATE_SAVED 0x44564153	// "SAVD"
#define HDR         16

TEXT cpuinit(SB),NOSPLIT|NOFRAME,$0
	// R0 = save area = RamStart + RamSize
	MOVW	runtime∕goos·RamStart(SB), R0
	MOVW	runtime∕goos·RamSize(SB), R1
	ADD	R1, R0
	MOVW	$runtime·noptrdata(SB), R1
	MOVW	$runtime·edata(SB), R2
	SUB	R1, R2, R2			// R2 = data length
	MOVW	$(const_SaveSize-HDR), R3
	CMP	R3, R2
	B.HI	nosave				// cannot keep a copy: no hot reboot

	MOVW	0(R0), R3
	MOVW	$STATE_HOT, R4
	CMP	R3, R4
	B.NE	save
	MOVW	4(R0), R3
	CMP	R3, R2
	B.NE	save				// not this image's copy

	// hot boot: consume the marker first, so that a fault from here on
	// ends in an ordinary boot
	MOVW	$STATE_SAVED, R3
	MOVW	R3, 0(R0)
	ADD	$HDR, R0, R4			// R4 = source, R1 = .noptrdata
restore:
	MOVW.P	4(R4), R3
	MOVW.P	R3, 4(R1)
	SUB.S	$4, R2
	B.GT	restore

	// zero [bss, enoptrbss): 32 bytes per store, then words
	MOVW	$runtime·bss(SB), R1
	MOVW	$runtime·enoptrbss(SB), R2
	MOVW	$0, R3
	MOVW	$0, R4
	MOVW	$0, R5
	MOVW	$0, R6
	MOVW	$0, R7
	MOVW	$0, R8
	MOVW	$0, R9
	MOVW	$0, R12
	SUB	$32, R2, R0
zero32:
	CMP	R0, R1
	B.HI	zero4
	MOVM.IA.W	[R3-R9,R12], (R1)
	B	zero32
zero4:
	CMP	R2, R1
	B.HS	boot
	MOVW.P	R3, 4(R1)
	B	zero4

save:
	ADD	$HDR, R0, R4
	MOVW	R2, 4(R0)
copy:
	MOVW.P	4(R1), R3
	MOVW.P	R3, 4(R4)
	SUB.S	$4, R2
	B.GT	copy
	MOVW	$STATE_SAVED, R3
	MOVW	R3, 0(R0)
	B	boot

nosave:
	MOVW	$0, R3
	MOVW	R3, 0(R0)

boot:
	// stack at the top of the runtime's RAM, below RamStackOffset
	MOVW	runtime∕goos·RamStart(SB), R13
	MOVW	runtime∕goos·RamSize(SB), R1
	MOVW	runtime∕goos·RamStackOffset(SB), R2
	ADD	R1, R13
	SUB	R2, R13
	MOVW	R13, R3

	WORD	$0xe10f0000			// mrs r0, CPSR
	AND	$0x1f, R0, R0
	CMP	$0x1a, R0			// HYP mode: drop to SVC
	B.NE	system
	BIC	$0x1f, R0
	ORR	$0x1d3, R0			// SVC, A/I/F masked
	MOVW	$12(R15), R14			// return to system (3 instructions on)
	WORD	$0xe16ff000			// msr SPSR_fsxc, r0
	WORD	$0xe12ef30e			// msr ELR_hyp, lr
	WORD	$0xe160006e			// eret

system:
	WORD	$0xe321f0df			// msr CPSR_c, 0xdf: System mode
	MOVW	R3, R13
	B	_rt0_tamago_start(SB)

// func cachesOff(): SCTLR.C and SCTLR.I cleared (ARM ARM B4.1.130), so no
// new line is allocated while the caches are cleaned for the last time.
TEXT ·cachesOff(SB),NOSPLIT,$0
	WORD	$0xf10c01c0			// cpsid if
	MRC	15, 0, R0, C1, C0, 0
	BIC	$(1<<2|1<<12), R0
	MCR	15, 0, R0, C1, C0, 0
	WORD	$0xf57ff06f			// isb
	RET

// func jumpToEntry(): MMU off, I-cache, branch predictor and TLB
// invalidated (ARM ARM B4.2.1, B4.2.2), then the ELF entry point.
TEXT ·jumpToEntry(SB),NOSPLIT|NOFRAME,$0
	MRC	15, 0, R0, C1, C0, 0
	BIC	$1, R0				// SCTLR.M
	MCR	15, 0, R0, C1, C0, 0
	WORD	$0xf57ff06f			// isb
	MOVW	$0, R0
	MCR	15, 0, R0, C7, C5, 0		// ICIALLU
	MCR	15, 0, R0, C7, C5, 6		// BPIALL
	MCR	15, 0, R0, C8, C7, 0		// TLBIALL
	WORD	$0xf57ff04f			// dsb
	WORD	$0xf57ff06f			// isb
	B	_rt0_arm_tamago(SB)
