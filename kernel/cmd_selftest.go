package kernel

import (
	"errors"
	"fmt"
	"io"

	"github.com/hotrestart/tamago-hr/board/tunables"
	"github.com/hotrestart/tamago-hr/kernel/console"
)

// addSelftestCommand registers selftest: the checks a running board can make
// on itself, one pass/FAIL line each (README "On a real board").
func (k *system) addSelftestCommand() {
	k.shell.MustAdd(console.Cmd{Name: "selftest", Help: "check the bank, resets, watchdog, BSS, hot reboot and boot cost on this board: one pass/FAIL line each", Fn: k.cmdSelftest})
}

// selfTester is the board's part of the self-test (board/internal/imx6).
type selfTester interface {
	SelfTest(watchdogMs int, line func(name, detail string, err error))
}

// cmdSelftest prints "pass NAME: what was found" or "FAIL NAME: why" per
// check, then the counts; it fails when a check did.
func (k *system) cmdSelftest(out io.Writer, _ []string) error {
	pass, fail := 0, 0
	line := func(name, detail string, err error) {
		if err != nil {
			fail++
			fmt.Fprintf(out, "FAIL %s: %v\n", name, err)
			return
		}
		pass++
		fmt.Fprintf(out, "pass %s: %s\n", name, detail)
	}
	line("bank", fmt.Sprintf("%d blocks, checksums verified", len(k.bank.Blocks())), k.bank.Verify())
	if t, ok := any(k.board).(selfTester); ok {
		t.SelfTest(int(tunables.WatchdogTimeout), line)
	} else {
		line("board", "", errors.New("this board has no self-test"))
	}
	fmt.Fprintf(out, "selftest: %d passed, %d failed\n", pass, fail)
	if fail > 0 {
		return fmt.Errorf("selftest: %d of %d checks failed", fail, pass+fail)
	}
	return nil
}
