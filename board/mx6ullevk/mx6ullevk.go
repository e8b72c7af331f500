// Package mx6ullevk is the NXP MCIMX6ULL-EVK board, and QEMU's mcimx6ul-evk
// machine that emulates it: console on UART1, 512 MiB DRAM.
//
// Reference: i.MX 6ULL Applications Processor Reference Manual, Rev. 1,
// 11/2017 (IMX6ULLRM).
package mx6ullevk

import (
	"errors"

	"github.com/usbarmory/tamago/board/nxp/mx6ullevk" // Hwinit1: SoC init, UART1
	"github.com/usbarmory/tamago/soc/nxp/imx6ul"

	"github.com/hotrestart/tamago-hr/board/internal/imx6"
	"github.com/hotrestart/tamago-hr/board/internal/reg"
)

// Board is the EVK.
type Board struct{ imx6.SoC }

// Hardware is the board the image runs on.
var Hardware = Board{imx6.SoC{UART: imx6ul.UART1, RX: imx6.NewReceiver(imx6ul.UART1), Quiesce: quiesce}}

// Name identifies the board in the banner.
func (Board) Name() string { return "mx6ullevk" }

// ColdReset resets the board after the caller discarded the bank. tamago's
// mx6ullevk.Reset asserts WDOG_B, which the EVK's power logic turns into a
// power cycle on silicon; QEMU resets only through the warm path.
func (b Board) ColdReset() {
	if b.Emulated() {
		b.WarmReset()
	}
	mx6ullevk.Reset()
}

// LED: the EVK has no user LED to drive.
func (Board) LED(name string, on bool) error { return errors.New("no user LEDs on the EVK") }

// ENET registers (IMX6ULLRM 22.5 memory map) and its clock gate
// (18.6.24 CCM_CCGR0, CG6 = enet_clk_enable for both MACs).
const (
	ENET1_ECR = imx6ul.ENET1_BASE + 0x24 // p916, 22.5.5 Ethernet Control Register (ENETx_ECR)
	ENET2_ECR = imx6ul.ENET2_BASE + 0x24
	ECR_RESET = 0 // stops the MAC and its DMA, clears the registers
	CCM_CCGR0 = 0x020c4068
	CCGR0_CG6 = 12 // 2-bit field
)

// quiesce stops the bus masters before another boot takes over. The network
// console's ENET DMAs descriptors and frames into OCRAM: both MACs are reset,
// so none can write into memory the next boot is initialising. Their
// registers are touched only with the clock on, since an access to a gated
// peripheral hangs the bus.
func quiesce() {
	if reg.Read32(imx6ul.CCM_CCGR0)>>imx6ul.CCGRx_CG6&0b11 != 0 {
		reg.Write32(ENET1_ECR, 1<<ECR_RESET)
		reg.Write32(ENET2_ECR, 1<<ECR_RESET)
	}
}
