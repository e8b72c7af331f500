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
//     need not carry its BSS as zeroes (the boot ROM loads only the file),
//     except the range bssSkip, which tools/hotspan sets to a buffer whose
//     contents are proven not to matter (hotboot.go): with the caches off
//     each store goes to DRAM, and that buffer alone is 32 MiB.
//
// The save area header is saveHeader (savearea.go): its field offsets
// (saveHeader_state, …), its size (saveHeader__size, where the copy
// starts) and its values (const_stateHot, …) come from go_asm.h, which the
// compiler writes from the Go definition.

#include "go_asm.h"
#include "textflag.h"

#define WDOG1_WCR   0x020bc000	// IMX6ULLRM 59.8.1
#define WCR_WDA     0x20
#define WCR_SRS     0x10
#define SRS_TRIES   0x100000	// ~1M stores, far more than the reset takes on silicon

TEXT cpuinit(SB),NOSPLIT|NOFRAME,$0
	WORD	$0xec554f0e			// mrrc p15, 0, r4, r5, c14: CNTPCT at entry
	// R0 = save area = RamStart + RamSize
	MOVW	runtime∕goos·RamStart(SB), R0
	MOVW	runtime∕goos·RamSize(SB), R1
	ADD	R1, R0
	MOVW	R4, (saveHeader_entry+count_lo)(R0)	// entry stamp (handstamp.go)
	MOVW	R5, (saveHeader_entry+count_hi)(R0)
	MOVW	·hotSpan(SB), R1		// R1 = span start
	MOVW	·hotSpan+4(SB), R2
	MOVW	$const_spanUnset, R3
	CMP	R3, R1
	B.EQ	nosave				// not patched: no hot reboot
	SUB	R1, R2, R2			// R2 = span length
	MOVW	$(const_SaveSize-saveHeader__size), R3
	CMP	R3, R2
	B.HI	nosave				// cannot keep a copy: no hot reboot

	MOVW	saveHeader_state(R0), R3
	MOVW	$const_stateHot, R4
	CMP	R3, R4
	B.NE	save
	MOVW	saveHeader_length(R0), R3
	CMP	R3, R2
	B.NE	save				// not this image's copy
	MOVW	saveHeader_start(R0), R3
	CMP	R3, R1
	B.NE	save

	// hot boot: consume the marker first, so that a fault from here on
	// ends in an ordinary boot
	MOVW	$const_stateSaved, R3
	MOVW	R3, saveHeader_state(R0)
	MOVW	R2, saveHeader_copied(R0)	// bytes written uncached: the span
	ADD	$saveHeader__size, R0, R4	// R4 = source
	MOVW	R1, R6				// R6 = destination
	MOVW	R2, R7
	// 32 bytes per iteration (the caches are off: fewer, longer accesses),
	// then words
restore32:
	CMP	$32, R7
	B.LO	restore4
	MOVM.IA.W	(R4), [R3,R5,R8,R9]
	MOVM.IA.W	[R3,R5,R8,R9], (R6)
	MOVM.IA.W	(R4), [R3,R5,R8,R9]
	MOVM.IA.W	[R3,R5,R8,R9], (R6)
	SUB	$32, R7
	B	restore32
restore4:
	CMP	$0, R7
	B.EQ	check
	MOVW.P	4(R4), R3
	MOVW.P	R3, 4(R6)
	SUB	$4, R7
	B	restore4

check:
	// check what is now in place, not the copy: sum [R1, R1+R2), word by
	// word in order (sum = ror(sum, 31) + word), 16 bytes per load
	MOVW	R1, R6
	MOVW	R2, R7
	MOVW	$0, R5
sumhot16:
	CMP	$16, R7
	B.LO	sumhot4
	MOVM.IA.W	(R6), [R3,R4,R8,R9]
	ADD	R5@>31, R3, R5
	ADD	R5@>31, R4, R5
	ADD	R5@>31, R8, R5
	ADD	R5@>31, R9, R5
	SUB	$16, R7
	B	sumhot16
sumhot4:
	CMP	$0, R7
	B.EQ	summed
	MOVW.P	4(R6), R3
	ADD	R5@>31, R3, R5
	SUB	$4, R7
	B	sumhot4
summed:
	MOVW	saveHeader_sum(R0), R3
	CMP	R3, R5
	B.EQ	restored
	MOVW	$const_resultBad, R3
	MOVW	R3, saveHeader_result(R0)
	MOVW	$0, R3
	MOVW	R3, saveHeader_state(R0)	// no hot reboot from this copy again
	MOVW	$WDOG1_WCR, R4
	MOVHU	0(R4), R3
	ORR	$WCR_WDA, R3
	BIC	$WCR_SRS, R3			// silicon: the SoC reset alone, WDOG_B untouched (seq.WarmResetWCR)
	MOVW	$SRS_TRIES, R5
srsreset:
	MOVH	R3, 0(R4)
	SUB.S	$1, R5
	B.NE	srsreset
	BIC	$WCR_WDA, R3			// still here: QEMU 7.2 resets only on WDA and SRS low in one store
wdogreset:
	MOVH	R3, 0(R4)
	B	wdogreset
restored:
	MOVW	$const_resultOK, R3
	MOVW	R3, saveHeader_result(R0)
	B	zerobss

save:
	// a failed check is reported by this boot, then forgotten
	MOVW	saveHeader_result(R0), R3
	MOVW	$const_resultBad, R4
	MOVW	$const_resultSeen, R5
	MOVW	$0, R6
	CMP	R4, R3
	MOVW.EQ	R5, R6
	MOVW	R6, saveHeader_result(R0)
	MOVW	R2, saveHeader_length(R0)
	MOVW	R1, saveHeader_start(R0)
	MOVW	R2, saveHeader_copied(R0)	// bytes written uncached: the copy
	ADD	$saveHeader__size, R0, R4
	MOVW	$0, R5
	// copy and sum, 16 bytes per load/store, then words
copy16:
	CMP	$16, R2
	B.LO	copy4
	MOVM.IA.W	(R1), [R3,R6,R7,R8]
	MOVM.IA.W	[R3,R6,R7,R8], (R4)
	ADD	R5@>31, R3, R5
	ADD	R5@>31, R6, R5
	ADD	R5@>31, R7, R5
	ADD	R5@>31, R8, R5
	SUB	$16, R2
	B	copy16
copy4:
	CMP	$0, R2
	B.EQ	copied
	MOVW.P	4(R1), R3
	MOVW.P	R3, 4(R4)
	ADD	R5@>31, R3, R5
	SUB	$4, R2
	B	copy4
copied:
	MOVW	R5, saveHeader_sum(R0)
	MOVW	$const_stateSaved, R3
	MOVW	R3, saveHeader_state(R0)
	B	zerobss

nosave:
	MOVW	$0, R3
	MOVW	R3, saveHeader_state(R0)
	MOVW	R3, saveHeader_result(R0)
	MOVW	R3, saveHeader_copied(R0)

zerobss:
	// zero [bss, enoptrbss) but the range hotspan proved needs no zeroing
	// (bssSkip), used only when it lies within the BSS, in order
	MOVW	$runtime·bss(SB), R1
	MOVW	$runtime·enoptrbss(SB), R2
	MOVW	·bssSkip(SB), R8
	MOVW	·bssSkip+4(SB), R9
	CMP	R1, R8
	B.LO	noskip
	CMP	R8, R9
	B.LO	noskip
	CMP	R9, R2
	B.HS	zeroit
noskip:
	MOVW	R2, R8
	MOVW	R2, R9
zeroit:
	MOVW	R2, R7				// R7 = enoptrbss
	MOVW	R8, R2
	BL	zeroRange<>(SB)			// [bss, skip start)
	MOVW	R9, R1
	MOVW	R7, R2
	BL	zeroRange<>(SB)			// [skip end, enoptrbss)
	MOVW	$runtime·bss(SB), R1
	SUB	R1, R8, R3
	SUB	R9, R7, R4
	ADD	R4, R3
	MOVW	R3, saveHeader_zeroed(R0)	// bytes written uncached: zeroes
	SUB	R8, R9, R3
	MOVW	R3, saveHeader_skipped(R0)	// bytes left as they were

boot:
	WORD	$0xec554f0e			// mrrc p15, 0, r4, r5, c14: CNTPCT at the end
	MOVW	R4, (saveHeader_done+count_lo)(R0)
	MOVW	R5, (saveHeader_done+count_hi)(R0)
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

// zeroRange zeroes [R1, R2) (words, R1 advanced to R2): 32 bytes per
// iteration, then words. Clobbers R3-R6; no stack.
TEXT zeroRange<>(SB),NOSPLIT|NOFRAME,$0
	MOVW	$0, R3
	MOVW	$0, R4
	MOVW	$0, R5
	MOVW	$0, R6
zero32:
	SUB	R1, R2, R12
	CMP	$32, R12
	B.LO	zero4
	MOVM.IA.W	[R3-R6], (R1)
	MOVM.IA.W	[R3-R6], (R1)
	B	zero32
zero4:
	CMP	R2, R1
	B.HS	zeroed
	MOVW.P	R3, 4(R1)
	B	zero4
zeroed:
	RET
