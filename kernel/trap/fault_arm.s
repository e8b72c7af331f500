#include "textflag.h"

// func spUsr() uint32: the System/User mode stack pointer, i.e. the faulting
// goroutine's SP, read from an exception mode.
TEXT ·spUsr(SB),NOSPLIT,$0-4
	WORD	$0xe1050200	// mrs r0, SP_usr
	MOVW	R0, ret+0(FP)
	RET

// func faultAddress() (dfar, ifar uint32) (ARM ARM B4.1.52 DFAR, B4.1.96 IFAR)
TEXT ·faultAddress(SB),NOSPLIT,$0-8
	MRC	15, 0, R0, C6, C0, 0
	MRC	15, 0, R1, C6, C0, 2
	MOVW	R0, dfar+0(FP)
	MOVW	R1, ifar+4(FP)
	RET

// faultTrampoline is where a redirected goroutine resumes: it makes the
// faulting function look as if it had called sigpanic, as linux/arm's
// preparePanic does, so the unwinder walks through leaf frames too. The
// exception handler left the faulting PC in R11 (0 when it is no code).
TEXT ·faultTrampoline(SB),NOSPLIT|NOFRAME,$0
	MOVW.W	R14, -4(R13)
	CMP	$0, R11
	MOVW.NE	R11, R14
	B	runtime·sigpanic(SB)

// runtime·sigpanic is free in tamago's runtime; the toolchain gives this
// name FuncID_sigpanic, which the unwinder needs for injected calls.
TEXT runtime·sigpanic(SB),NOSPLIT,$0-0
	CALL	·faultPanic(SB)
	RET

// func faultTrampolineAddr() uint32
TEXT ·faultTrampolineAddr(SB),NOSPLIT,$0-4
	MOVW	$·faultTrampoline(SB), R0
	MOVW	R0, ret+0(FP)
	RET
