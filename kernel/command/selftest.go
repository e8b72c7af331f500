package command

import (
	"fmt"
	"io"

	"github.com/hotrestart/tamago-hr/kernel/console"
)

// addSelftestCommand registers selftest: the checks a running board can
// make on itself, one pass/FAIL line each (README "On a real board").
func addSelftestCommand(sh *console.Shell, m Machine) {
	sh.MustAdd(console.Cmd{Name: "selftest", Help: "check the bank, resets, watchdog, BSS, hot reboot and boot cost on this board: one pass/FAIL line each", Fn: func(out io.Writer, _ []string) error {
		return selftest(m, out)
	}})
}

// selftest prints "pass NAME: what was found" or "FAIL NAME: why" per
// check, then the counts; it fails when a check did.
func selftest(m Machine, out io.Writer) error {
	pass, fail := 0, 0
	m.SelfTest(func(name, detail string, err error) {
		if err != nil {
			fail++
			fmt.Fprintf(out, "FAIL %s: %v\n", name, err)
			return
		}
		pass++
		fmt.Fprintf(out, "pass %s: %s\n", name, detail)
	})
	fmt.Fprintf(out, "selftest: %d passed, %d failed\n", pass, fail)
	if fail > 0 {
		return fmt.Errorf("selftest: %d of %d checks failed", fail, pass+fail)
	}
	return nil
}
