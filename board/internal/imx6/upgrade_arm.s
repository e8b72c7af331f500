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

// copyRoutine is copied out of the image before it runs (Routine): only
// PC-relative branches, no literal pool, no stack. R0 = descriptor. Copies
// 32 bytes per iteration (two 4-register MOVMs), then words; [filesz,
// memsz) is the new image's BSS, zeroed by its cpuinit.
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
	B.EQ	next
	MOVW.P	4(R2), R4
	MOVW.P	R4, 4(R1)
	SUB	$4, R3
	B	copy4
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
