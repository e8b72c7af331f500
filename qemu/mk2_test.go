package qemu

import (
	"debug/elf"
	"fmt"
	"os"
	"os/exec"
	"regexp"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

const canarySymbol = "github.com/hotrestart/tamago-hr/board/internal/imx6.bssCanary"

// mk2Image returns the Mk II ELF and its .imx, or skips.
func mk2Image(t *testing.T) (string, string) {
	return envImage(t, "HR_MK2_IMAGE"), envImage(t, "HR_IMX")
}

// symbol returns a symbol's address in an ELF.
func symbol(t *testing.T, path, name string) uint32 {
	f, err := elf.Open(path)
	require.NoError(t, err)
	defer f.Close()
	syms, err := f.Symbols()
	require.NoError(t, err)
	for _, s := range syms {
		if s.Name == name {
			return uint32(s.Value)
		}
	}
	require.FailNow(t, "no symbol", "%s in %s", name, path)
	return 0
}

// The .imx carries only what the loader must load: no 32 MiB of BSS zeroes.
// mkimage reads it back as an i.MX boot image whose entry is the ELF's.
func TestMk2ImxImage(t *testing.T) {
	elfPath, imx := mk2Image(t)
	fi, err := os.Stat(imx)
	require.NoError(t, err)
	assert.Less(t, fi.Size(), int64(10<<20), "the .imx must not carry the BSS")
	out, err := exec.Command("mkimage", "-l", imx).CombinedOutput()
	require.NoError(t, err, "%s", out)
	f, err := elf.Open(elfPath)
	require.NoError(t, err)
	defer f.Close()
	var end uint64
	for _, s := range f.Sections {
		if s.Flags&elf.SHF_ALLOC != 0 && s.Type == elf.SHT_PROGBITS {
			end = max(end, s.Addr+s.Size)
		}
	}
	assert.Contains(t, string(out), "Image Type:   Freescale IMX Boot Image")
	assert.Contains(t, string(out), "Mode:         DCD")
	assert.Contains(t, string(out), fmt.Sprintf("Entry Point:  %08x", f.Entry))
	// HAB Blocks: start, offset, length: the loaded range must reach the
	// last PROGBITS byte
	m := regexp.MustCompile(`HAB Blocks:\s+0x([0-9a-f]+) 0x[0-9a-f]+ 0x([0-9a-f]+)`).FindStringSubmatch(string(out))
	require.NotNil(t, m, "%s", out)
	var start, length uint64
	fmt.Sscanf(m[1], "%x", &start)
	fmt.Sscanf(m[2], "%x", &length)
	assert.GreaterOrEqual(t, start+length, end, "the image loads every PROGBITS section")
	assert.Equal(t, fi.Size(), int64(length), "the file is the loaded range and nothing more")
}

// The Mk II ELF boots under QEMU (console on UART2) to the prompt, and a BSS
// word poisoned in RAM before the CPU starts reads zero: cpuinit, not the
// loader, zeroes the BSS, as the boot ROM loads only the .imx.
func TestMk2BootsWithBSSZeroed(t *testing.T) {
	elfPath, _ := mk2Image(t)
	canary := symbol(t, elfPath, canarySymbol)
	gdbAddr := fmt.Sprintf("127.0.0.1:%d", freePort(t))
	s := startWith(t, elfPath, Options{Target: "usbarmory", Limit: 2 * time.Minute,
		Extra: []string{"-S", "-gdb", "tcp:" + gdbAddr}})
	g, err := DialGDB(gdbAddr, 10*time.Second)
	require.NoError(t, err)
	require.NoError(t, g.Write32(canary, 0xdeadbeef))
	v, err := g.Read32(canary)
	require.NoError(t, err)
	require.Equal(t, uint32(0xdeadbeef), v, "the poison is in RAM before the CPU starts")
	require.NoError(t, g.Continue())

	state, n, _ := s.banner()
	assert.Equal(t, "cold", state)
	assert.Equal(t, 1, n)
	assert.NotContains(t, s.Transcript(), "BSS not zeroed")
	st := s.run("stats")
	assert.Contains(t, st, "bss canary: 0x00000000")
	assert.Regexp(t, `writable data: saved \d+ bytes at 0x`, st)
	assert.Contains(t, s.run("help"), "stats")
}
