#include "textflag.h"

// func UndefinedInstruction(): executes UDF #0 (A32 permanently undefined
// encoding 0xe7f000f0, ARM ARM A8.8.247).
TEXT ·UndefinedInstruction(SB),NOSPLIT,$0
	WORD	$0xe7f000f0
	RET
