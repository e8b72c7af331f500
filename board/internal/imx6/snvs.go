package imx6

import (
	"errors"
	"fmt"
	"time"

	"github.com/usbarmory/tamago/soc/nxp/imx6ul"

	"github.com/hotrestart/tamago-hr/board/internal/reg"
)

// The board's real-time clock (kernel.Clock). On silicon it is the SNVS
// low-power secure real-time counter (SRTC), powered from SNVS_IN (the coin
// cell on a board that has one) and so kept through resets and, with the
// cell, power cycles. tamago v1.26.0's soc/nxp/snvs drives the tamper
// monitors and the security state machine only, not the SRTC, so the
// registers are written here. i.MX 6ULL Applications Processor Reference
// Manual (IMX6ULLRM, Rev. 1), chapter "Secure Non-Volatile Storage (SNVS)",
// section "SNVS Memory Map/Register Definition" (offsets from SNVS_HP_BASE
// 0x020cc000, tamago's imx6ul.SNVS_HP_BASE):
//
//	SNVS_LPLR     0x34  LP Lock Register: SRTC_HL (bit 2) locks the SRTC against writes
//	SNVS_LPCR     0x38  LP Control Register: SRTC_ENV (bit 0) runs the SRTC
//	SNVS_LPSRTCMR 0x50  LP Secure Real Time Counter MSB Register: counter bits 46..32
//	SNVS_LPSRTCLR 0x54  LP Secure Real Time Counter LSB Register: counter bits 31..0
//
// The counter ticks at 32.768 kHz: bits 46..15 are seconds. It is written
// only while SRTC_ENV is clear, and the counter runs in the low-power clock
// domain, so a read takes the MSB/LSB pair twice until both reads agree, and
// a change of SRTC_ENV is awaited until the register reads it back (the
// chapter's "SRTC" functional description).
const (
	snvsLPLR     = imx6ul.SNVS_HP_BASE + 0x34
	snvsLPCR     = imx6ul.SNVS_HP_BASE + 0x38
	snvsLPSRTCMR = imx6ul.SNVS_HP_BASE + 0x50
	snvsLPSRTCLR = imx6ul.SNVS_HP_BASE + 0x54

	lplrSRTCHL  = 1 << 2
	lpcrSRTCENV = 1 << 0

	srtcFracBits = 15      // 32768 ticks a second
	srtcMSBMask  = 0x7fff  // the MSB register holds counter bits 46..32
	srtcSettle   = 1000000 // register reads to wait for SRTC_ENV (> 3 ticks of 32 kHz at any core clock)
	srtcReads    = 16      // tries for two equal counter reads, a tick is ≈ 30 µs
)

// ErrRTCNotSettable means the RTC is not the board's to set: under QEMU it
// is the host's clock.
var ErrRTCNotSettable = errors.New("the real-time clock is the emulator host's: not set from the board")

// semihosting SYS_TIME: the host's time in seconds since the Unix epoch
// (ARM DUI 0471, "SYS_TIME (0x11)"; R1 must be 0).
const sysTime = 0x11

// RTC reads the board's real-time clock and names its source: under QEMU
// the host's clock through semihosting (whole seconds), on silicon the SNVS
// SRTC, started here if it was stopped (a first power-up: it then counts
// from 1970).
func (SoC) RTC() (time.Time, string, error) {
	if !imx6ul.Native {
		s := uint32(semihostingCall(sysTime, 0))
		if int32(s) == -1 {
			return time.Time{}, "", errors.New("semihosting SYS_TIME answered -1: QEMU without -semihosting?")
		}
		return time.Unix(int64(s), 0).UTC(), "host clock (semihosting)", nil
	}
	if reg.Read32(snvsLPCR)&lpcrSRTCENV == 0 {
		if err := srtcEnable(true); err != nil {
			return time.Time{}, "", err
		}
	}
	c := srtcRead()
	return time.Unix(int64(c>>srtcFracBits), int64(c&(1<<srtcFracBits-1))*1e9>>srtcFracBits).UTC(), "SNVS SRTC", nil
}

// SetRTC sets the SNVS SRTC to t (whole seconds); under QEMU it returns
// ErrRTCNotSettable and changes nothing.
func (SoC) SetRTC(t time.Time) error {
	if !imx6ul.Native {
		return ErrRTCNotSettable
	}
	if reg.Read32(snvsLPLR)&lplrSRTCHL != 0 {
		return errors.New("SNVS SRTC is locked against writes (SNVS_LPLR SRTC_HL)")
	}
	s := uint64(t.Unix())
	if err := srtcEnable(false); err != nil {
		return err
	}
	c := s << srtcFracBits
	reg.Write32(snvsLPSRTCLR, uint32(c))
	reg.Write32(snvsLPSRTCMR, uint32(c>>32)&srtcMSBMask)
	if err := srtcEnable(true); err != nil {
		return err
	}
	if got := srtcRead() >> srtcFracBits; got < s || got > s+2 {
		return fmt.Errorf("SNVS SRTC reads %d s after being set to %d s", got, s)
	}
	return nil
}

// SetTime sets the runtime's clock, which time.Now, every timer and the
// monotonic clock read (tamago: the generic timer plus ARM.TimerOffset),
// to ns since the Unix epoch.
func (SoC) SetTime(ns int64) { imx6ul.ARM.SetTime(ns) }

// srtcRead returns the 47-bit counter, read until two reads agree (the
// counter runs in another clock domain); after srtcReads tries, the last.
func srtcRead() uint64 {
	read := func() uint64 {
		return uint64(reg.Read32(snvsLPSRTCMR)&srtcMSBMask)<<32 | uint64(reg.Read32(snvsLPSRTCLR))
	}
	c := read()
	for range srtcReads {
		n := read()
		if n == c {
			break
		}
		c = n
	}
	return c
}

// srtcEnable sets SRTC_ENV to on and waits until the register says so.
func srtcEnable(on bool) error {
	v := reg.Read32(snvsLPCR)
	if on {
		v |= lpcrSRTCENV
	} else {
		v &^= lpcrSRTCENV
	}
	reg.Write32(snvsLPCR, v)
	for range srtcSettle {
		if (reg.Read32(snvsLPCR)&lpcrSRTCENV != 0) == on {
			return nil
		}
	}
	return fmt.Errorf("SNVS SRTC: SRTC_ENV did not become %v", on)
}
