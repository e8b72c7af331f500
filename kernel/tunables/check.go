package tunables

import (
	"fmt"

	built "github.com/hotrestart/tamago-hr/board/tunables"
)

// BankBytes is the size handed to pmm: pmm.rambankSize rounded up to pages
// (what board/tunables.BankSize is for the built-in value).
func BankBytes(rambankSize int64) int64 {
	return (rambankSize + built.PageSize - 1) / built.PageSize * built.PageSize
}

// Check applies the rules that involve several tunables. geometry validates
// a bank of size bytes and maxBlocks blocks (pmm.Geometry.Validate), so that
// a bank too small for its own table fails the build, not the boot.
func Check(vals map[string]int64, geometry func(size, maxBlocks int) error) error {
	size := BankBytes(vals["pmm.rambankSize"])
	if err := geometry(int(size), int(vals["pmm.maxBlocks"])); err != nil {
		return fmt.Errorf("pmm.rambankSize=%#x with pmm.maxBlocks=%d: %v", vals["pmm.rambankSize"], vals["pmm.maxBlocks"], err)
	}
	if dm := BankBytes(vals["kern.dmesgSize"]); dm*4 > size {
		return fmt.Errorf("kern.dmesgSize=%d takes more than a quarter of the %d-byte bank", vals["kern.dmesgSize"], size)
	}
	if vals["hrCtrl.maxBackoff"] < vals["hrCtrl.minRunTime"] && vals["hrCtrl.maxBackoff"] != 0 {
		return fmt.Errorf("hrCtrl.maxBackoff=%d is below hrCtrl.minRunTime=%d", vals["hrCtrl.maxBackoff"], vals["hrCtrl.minRunTime"])
	}
	return nil
}
