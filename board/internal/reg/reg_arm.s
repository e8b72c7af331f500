#include "textflag.h"

// func Read16(addr uint32) uint16
TEXT ·Read16(SB),NOSPLIT,$0-6
	MOVW	addr+0(FP), R0
	MOVHU	(R0), R1
	MOVH	R1, ret+4(FP)
	RET

// func Write16(addr uint32, val uint16)
TEXT ·Write16(SB),NOSPLIT,$0-6
	MOVW	addr+0(FP), R0
	MOVHU	val+4(FP), R1
	MOVH	R1, (R0)
	WORD	$0xf57ff04f	// dsb sy: the store reaches the device before we go on
	RET

// func Read32(addr uint32) uint32
TEXT ·Read32(SB),NOSPLIT,$0-8
	MOVW	addr+0(FP), R0
	MOVW	(R0), R1
	MOVW	R1, ret+4(FP)
	RET

// func Write32(addr uint32, val uint32)
TEXT ·Write32(SB),NOSPLIT,$0-8
	MOVW	addr+0(FP), R0
	MOVW	val+4(FP), R1
	MOVW	R1, (R0)
	WORD	$0xf57ff04f	// dsb sy
	RET
