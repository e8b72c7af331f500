#include "textflag.h"

// func semihosting(op uint32, arg uintptr)
TEXT ·semihosting(SB),NOSPLIT,$0-8
	MOVW	op+0(FP), R0
	MOVW	arg+4(FP), R1
	WORD	$0xef123456	// svc 0x123456 (A32 semihosting trap)
	RET

// func semihostingCall(op uint32, arg uintptr) int32
TEXT ·semihostingCall(SB),NOSPLIT,$0-12
	MOVW	op+0(FP), R0
	MOVW	arg+4(FP), R1
	WORD	$0xef123456	// svc 0x123456
	MOVW	R0, ret+8(FP)
	RET
