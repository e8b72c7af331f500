// The hand-over to another boot without a reset (hotboot.go): one routine
// that, once entered, touches no stack and never returns, so nothing it
// depends on can sit in a cache line it is cleaning or be reordered by the
// compiler. Linux arch/arm/kernel/reboot.c _soft_restart and
// arch/arm/include/asm/cacheflush.h v7_exit_coherency_flush; U-Boot
// cleanup_before_linux; ARM ARM (DDI 0406C) B2.2.7, B4.2.1, B4.2.2.

#include "textflag.h"

#define DSB WORD $0xf57ff04f	// dsb sy
#define ISB WORD $0xf57ff06f	// isb sy
#define DMB WORD $0xf57ff05f	// dmb sy

// func maskAll(): IRQ, FIQ and asynchronous aborts masked (cpsid aif).
TEXT ·maskAll(SB),NOSPLIT,$0
	WORD	$0xf10c01c0			// cpsid aif
	RET

// func barrier(): DSB then ISB, after page-table changes (tamago's
// ConfigureMMU ends its TLB maintenance without them, ARM ARM B3.10.1).
TEXT ·barrier(SB),NOSPLIT,$0
	DSB
	ISB
	RET

// func midr() uint32: the Main ID Register (ARM ARM B4.1.105).
TEXT ·midr(SB),NOSPLIT,$0-4
	MRC	15, 0, R0, C0, C0, 0
	MOVW	R0, ret+0(FP)
	RET

// func handOff(pc, r0 uint32): with everything masked, clean and
// invalidate the data cache to the point of coherency, turn the data and
// instruction caches off, clean and invalidate again (a line allocated
// between the first pass and SCTLR.C=0 must not survive to be hit when the
// next boot turns the caches on), MMU off, I-cache, branch predictor and
// TLB invalidated, then a branch to pc with R0 = r0. Its two arguments are
// the only memory it reads; it keeps them in R8 and R9.
TEXT ·handOff(SB),NOSPLIT|NOFRAME,$0-8
	MOVW	pc+0(FP), R8
	MOVW	r0+4(FP), R9
	WORD	$0xf10c01c0			// cpsid aif
	BL	·flushDCache(SB)
	MRC	15, 0, R0, C1, C0, 0
	BIC	$(1<<2|1<<12), R0		// SCTLR.C, SCTLR.I (B4.1.130)
	MCR	15, 0, R0, C1, C0, 0
	ISB
	BL	·flushDCache(SB)
	MRC	15, 0, R0, C1, C0, 0
	BIC	$1, R0				// SCTLR.M
	MCR	15, 0, R0, C1, C0, 0
	ISB
	MOVW	$0, R0
	MCR	15, 0, R0, C7, C5, 0		// ICIALLU
	MCR	15, 0, R0, C7, C5, 6		// BPIALL
	MCR	15, 0, R0, C8, C7, 0		// TLBIALL
	DSB
	ISB
	MOVW	R9, R0
	B	(R8)

// flushDCache cleans and invalidates every data or unified cache level up
// to the level of coherency by set/way (ARM ARM B2.2.7 example; Linux
// arch/arm/mm/cache-v7.S v7_flush_dcache_all), with a DSB after each level:
// Cortex-A7 erratum 814220, where a set/way operation on one level can
// overtake one on the level before (Linux ARM_ERRATA_814220). Uses R0-R7
// and R12 only, no stack; returns through R14.
TEXT ·flushDCache(SB),NOSPLIT|NOFRAME,$0
	DMB
	MRC	15, 1, R0, C0, C0, 1		// CLIDR
	AND	$0x7000000, R0, R3		// LoC, [26:24]
	MOVW	R3>>23, R3			// R3 = LoC × 2
	CMP	$0, R3
	B.EQ	flushed
	MOVW	$0, R6				// R6 = level × 2 (CSSELR format)
level:
	ADD	R6>>1, R6, R2			// level × 3
	MOVW	R0>>R2, R1
	AND	$7, R1				// this level's Ctype
	CMP	$2, R1
	B.LT	nextlevel			// no data or unified cache
	MCR	15, 2, R6, C0, C0, 0		// CSSELR
	ISB					// CCSIDR of that level
	MRC	15, 1, R1, C0, C0, 0		// CCSIDR
	AND	$7, R1, R2
	ADD	$4, R2				// R2 = log2(line bytes)
	MOVW	$0x3ff, R4
	AND	R1>>3, R4			// R4 = ways - 1
	CLZ	R4, R5				// R5 = way field shift
	MOVW	$0x7fff, R7
	AND	R1>>13, R7			// R7 = sets - 1
way:
	MOVW	R7, R12
set:
	ORR	R4<<R5, R6, R1			// way | level
	ORR	R12<<R2, R1			// | set
	MCR	15, 0, R1, C7, C14, 2		// DCCISW
	SUB.S	$1, R12
	B.GE	set
	SUB.S	$1, R4
	B.GE	way
nextlevel:
	DSB					// erratum 814220
	ADD	$2, R6
	CMP	R6, R3
	B.GT	level
flushed:
	MOVW	$0, R6
	MCR	15, 2, R6, C0, C0, 0		// CSSELR back to level 0
	DSB
	ISB
	RET
