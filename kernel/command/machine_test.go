package command

import (
	"errors"
	"fmt"
	"io"
	"strings"
	"testing"
	"time"

	"github.com/hotrestart/tamago-hr/kernel/console"
	"github.com/hotrestart/tamago-hr/kernel/crashlog"
)

// fakeMachine is a Machine that gives fixed values and records what it
// was asked.
type fakeMachine struct {
	bank    BankJSON
	noBank  bool
	stats   Stats
	gc      GCReport
	uptime  time.Duration
	log     crashlog.Log // the previous boot's
	now     crashlog.Log // this boot's; none when nowErr
	nowErr  error
	cold    bool
	reason  string
	checks  []error // SelfTest's: check a, b, … fail with these
	clock   Clock
	how     string // SetDate tells it
	dateErr error  // SetDate returns it, before saying anything
	downErr error  // GoDown and SetDate (after saying) return it
	calls   []string
}

func (m *fakeMachine) BankStatus() (BankJSON, error) {
	if m.noBank {
		return BankJSON{}, errors.New("no bank")
	}
	return m.bank, nil
}
func (m *fakeMachine) Stats() Stats             { return m.stats }
func (m *fakeMachine) GC() GCReport             { m.calls = append(m.calls, "gc"); return m.gc }
func (m *fakeMachine) Uptime() time.Duration    { return m.uptime }
func (m *fakeMachine) ColdBank() (bool, string) { return m.cold, m.reason }
func (m *fakeMachine) Clock() Clock             { return m.clock }
func (m *fakeMachine) Log(now bool) (crashlog.Log, error) {
	if now {
		return m.now, m.nowErr
	}
	return m.log, nil
}
func (m *fakeMachine) SelfTest(line func(name, detail string, err error)) {
	for i, err := range m.checks {
		line(string(rune('a'+i)), "ok", err)
	}
}
func (m *fakeMachine) SetDate(t time.Time, out io.Writer, say func(how string)) error {
	if m.dateErr != nil {
		return m.dateErr
	}
	say(m.how)
	m.calls = append(m.calls, "date "+t.UTC().Format(time.RFC3339))
	return m.downErr
}
func (m *fakeMachine) GoDown(way Way, why string, code int, out io.Writer) error {
	m.calls = append(m.calls, fmt.Sprintf("%d %s %d %v", way, why, code, FromScript(out)))
	return m.downErr
}

// newMachine adds the kernel's commands to a new shell over a fake
// machine.
func newMachine(t *testing.T) (*console.Shell, *fakeMachine) {
	t.Helper()
	m := &fakeMachine{}
	sh := console.New()
	AddMachine(sh, m)
	return sh, m
}

// execOut runs a console line and returns its output, then the error's
// text after it.
func execOut(t *testing.T, sh *console.Shell, line string) string {
	t.Helper()
	var out strings.Builder
	if err := sh.Exec(&out, line); err != nil {
		out.WriteString("error: " + err.Error())
	}
	return out.String()
}
