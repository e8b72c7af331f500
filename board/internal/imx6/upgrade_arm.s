// The hot upgrade's copy routine and the helpers that describe the running
// image (upgrade.go).

#include "textflag.h"

// func imageAddrs() (text, enoptrbss, entry, routine uint32)
TEXT ·imageAddrs(SB),NOSPLIT,$0-16
	MOVW	$runtime·text(SB), R0
	MOVW	R0, text+0(FP)
	MOVW	$runtime·enoptrbss(SB), R0
	MOVW	R0, enoptrbss+4(FP)
	MOVW	$_rt0_arm_tamago(SB), R0
	MOVW	R0, entry+8(FP)
	MOVW	$·copyRoutine(SB), R0
	MOVW	R0, routine+12(FP)
	RET

// func jumpMMUOff(pc, r0 uint32): MMU off, I-cache, branch predictor and
// TLB invalidated (ARM ARM B4.2.1, B4.2.2), then a branch to pc with R0 =
// r0: the image's own entry (hot reboot) or the copy routine (staged boot).
// Called with caches off (cachesOff).
TEXT ·jumpMMUOff(SB),NOSPLIT,$0-8
	MOVW	pc+0(FP), R4
	MOVW	r0+4(FP), R5
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
	MOVW	R5, R0
	B	(R4)

// copyRoutine is copied out of the image before it runs (Routine): only
// PC-relative branches, no literal pool, no stack. R0 = descriptor. Copies
// and zeroes 32 bytes per iteration (two 4-register MOVMs), then words.
TEXT ·copyRoutine(SB),NOSPLIT|NOFRAME,$0
	MOVW	0(R0), R9			// entry
	MOVW	4(R0), R8			// segment count
	ADD	$8, R0
segment:
	CMP	$0, R8
	B.EQ	enter
	MOVW	0(R0), R1			// dst
	MOVW	4(R0), R2			// src
	MOVW	8(R0), R3			// filesz
copy32:
	CMP	$32, R3
	B.LO	copy4
	MOVM.IA.W	(R2), [R4-R7]
	MOVM.IA.W	[R4-R7], (R1)
	MOVM.IA.W	(R2), [R4-R7]
	MOVM.IA.W	[R4-R7], (R1)
	SUB	$32, R3
	B	copy32
copy4:
	CMP	$0, R3
	B.EQ	bss
	MOVW.P	4(R2), R4
	MOVW.P	R4, 4(R1)
	SUB	$4, R3
	B	copy4
bss:
	MOVW	12(R0), R3			// memsz
	MOVW	8(R0), R4
	SUB	R4, R3				// bytes to zero
	MOVW	$0, R4
	MOVW	$0, R5
	MOVW	$0, R6
	MOVW	$0, R7
zero32:
	CMP	$32, R3
	B.LO	zero4
	MOVM.IA.W	[R4-R7], (R1)
	MOVM.IA.W	[R4-R7], (R1)
	SUB	$32, R3
	B	zero32
zero4:
	CMP	$0, R3
	B.EQ	next
	MOVW.P	R4, 4(R1)
	SUB	$4, R3
	B	zero4
next:
	ADD	$16, R0
	SUB	$1, R8
	B	segment
enter:
	MOVW	$0, R0
	WORD	$0xf57ff04f			// dsb: the copy is in DRAM
	MCR	15, 0, R0, C7, C5, 0		// ICIALLU: new code at old addresses
	MCR	15, 0, R0, C7, C5, 6		// BPIALL
	WORD	$0xf57ff04f			// dsb
	WORD	$0xf57ff06f			// isb
	B	(R9)
	WORD	$0xe7f5def0			// routineEnd: never executed
