// cpuinit (tag linkcpuinit) is the first code to run, before any Go. Besides
// what tamago's own cpuinit does (stack pointer, leave HYP, System mode) it
// makes every boot start from the image as loaded:
//
//   - the span [hotSpan[0], hotSpan[1]) is every writable PROGBITS section
//     of the ELF (.go.buildinfo, .go.fipsinfo, .go.module with
//     runtime.firstmoduledata, .noptrdata, .data), written into hotSpan by
//     tools/hotspan after linking; until then it reads spanUnset and hot
//     reboots are off;
//   - any boot but a hot one: the span is pristine (just loaded), so it is
//     copied to the save area right above the runtime's RAM, with a checksum;
//   - a hot boot (HOT marker): the marker is consumed, the pristine copy is
//     put back over the span, and the restored span is checked against the
//     checksum taken at load; a mismatch resets the SoC through WDOG1 (a
//     fresh load) and leaves BAD in the header for the next boot to report;
//   - every boot: [runtime.bss, runtime.enoptrbss) is zeroed, so the image
//     need not carry its BSS as zeroes (the boot ROM loads only the file).
//
// Save area header (hotboot.go): +0 state, +4 span length, +8 span start,
// +12 checksum, +16 result of the last hot restore; the copy from +32.

#include "go_asm.h"
#include "textflag.h"

#define STATE_HOT   0x21544f48	// "HOT!"
#define STATE_SAVED 0x44564153	// "SAVD"
#define RESULT_OK   0x594b4f48	// "HOKY": restored and verified
#define RESULT_BAD  0x21444142	// "BAD!": verification failed, reset
#define RESULT_SEEN 0x52444142	// "BADR": BAD, reported on the next boot
#define HDR         32
#define WDOG1_WCR   0x020bc000	// IMX6ULLRM 59.8.1
#define WCR_WDA_SRS 0x30

TEXT cpuinit(SB),NOSPLIT|NOFRAME,$0
	// R0 = save area = RamStart + RamSize
	MOVW	runtime∕goos·RamStart(SB), R0
	MOVW	runtime∕goos·RamSize(SB), R1
	ADD	R1, R0
	MOVW	·hotSpan(SB), R1		// R1 = span start
	MOVW	·hotSpan+4(SB), R2
	MOVW	$const_spanUnset, R3
	CMP	R3, R1
	B.EQ	nosave				// not patched: no hot reboot
	SUB	R1, R2, R2			// R2 = span length
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
	MOVW	8(R0), R3
	CMP	R3, R1
	B.NE	save

	// hot boot: consume the marker first, so that a fault from here on
	// ends in an ordinary boot
	MOVW	$STATE_SAVED, R3
	MOVW	R3, 0(R0)
	ADD	$HDR, R0, R4			// R4 = source
	MOVW	R1, R6				// R6 = destination
	MOVW	R2, R7
restore:
	MOVW.P	4(R4), R3
	MOVW.P	R3, 4(R6)
	SUB.S	$4, R7
	B.GT	restore

	// check what is now in place, not the copy: sum [R1, R1+R2)
	MOVW	R1, R6
	MOVW	R2, R7
	MOVW	$0, R5
sumhot:
	MOVW.P	4(R6), R3
	ADD	R5@>31, R3, R5			// sum = ror(sum, 31) + word
	SUB.S	$4, R7
	B.GT	sumhot
	MOVW	12(R0), R3
	CMP	R3, R5
	B.EQ	restored
	MOVW	$RESULT_BAD, R3
	MOVW	R3, 16(R0)
	MOVW	$0, R3
	MOVW	R3, 0(R0)			// no hot reboot from this copy again
	MOVW	$WDOG1_WCR, R4
	MOVHU	0(R4), R3
	BIC	$WCR_WDA_SRS, R3		// WDA and SRS low in one store (wdog.go)
wdogreset:
	MOVH	R3, 0(R4)
	B	wdogreset
restored:
	MOVW	$RESULT_OK, R3
	MOVW	R3, 16(R0)
	B	zerobss

save:
	// a failed check is reported by this boot, then forgotten
	MOVW	16(R0), R3
	MOVW	$RESULT_BAD, R4
	MOVW	$RESULT_SEEN, R5
	MOVW	$0, R6
	CMP	R4, R3
	MOVW.EQ	R5, R6
	MOVW	R6, 16(R0)
	MOVW	R2, 4(R0)
	MOVW	R1, 8(R0)
	ADD	$HDR, R0, R4
	MOVW	$0, R5
copy:
	MOVW.P	4(R1), R3
	MOVW.P	R3, 4(R4)
	ADD	R5@>31, R3, R5
	SUB.S	$4, R2
	B.GT	copy
	MOVW	R5, 12(R0)
	MOVW	$STATE_SAVED, R3
	MOVW	R3, 0(R0)
	B	zerobss

nosave:
	MOVW	$0, R3
	MOVW	R3, 0(R0)
	MOVW	R3, 16(R0)

zerobss:
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
