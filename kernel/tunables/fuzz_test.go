package tunables

import "testing"

// FuzzParse: no TUNABLES= text makes Parse panic; what it accepts names
// every tunable, each within its range.
func FuzzParse(f *testing.F) {
	for _, s := range []string{"pmm.rambankSize=0x400000 hrCtrl.maxBadness=5", "kern.dmesgSize=16K,hrCtrl.interval=1M",
		"# comment\nnetcons.loginGrace=1000\r\n", "a=b=c", "pmm.maxBlocks=", "pmm.maxBlocks=0x", "hrCtrl.interval=-1",
		"pmm.maxBlocks=9999999999999999999K", "pmm.maxBlocks=4 pmm.maxBlocks=5", "pmm.maxBlocks=1 hrCtrl.maxGroups=0x1000000"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, spec string) {
		vals, err := Parse(spec)
		if err != nil {
			return
		}
		if len(vals) != len(Table) {
			t.Fatalf("%d values for %d tunables", len(vals), len(Table))
		}
		for _, d := range Table {
			if v, ok := vals[d.Name]; !ok || v < d.Min || v > d.Max {
				t.Fatalf("%s = %d (set: %v) outside [%d, %d]", d.Name, v, ok, d.Min, d.Max)
			}
		}
	})
}
