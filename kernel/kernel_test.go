//go:build !tamago

package kernel

import (
	"bytes"
	"errors"
	"io"
	"net"
	"net/netip"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/hotrestart/tamago-hr/actors"
	"github.com/hotrestart/tamago-hr/kernel/bootrec"
	"github.com/hotrestart/tamago-hr/kernel/console"
	"github.com/hotrestart/tamago-hr/kernel/upgrade"
	"github.com/hotrestart/tamago-hr/pmm"
)

// fakeBoard is a board on the host: a bank in a byte slice, a reset cause
// to report, a watchdog that counts, and a network link when a test gives
// it a listener.
type fakeBoard struct {
	bank  []byte
	cause string
	tx    bytes.Buffer
	// the watchdog: the timeout it was armed with (ms, 0 while off) and
	// how many times it was serviced; the service runs in its goroutine
	wdogTimeout  atomic.Int64
	wdogServices atomic.Int64
	link         net.Listener // Listen's, nil: no network
}

func (*fakeBoard) Name() string                              { return "host" }
func (*fakeBoard) Emulated() bool                            { return true }
func (*fakeBoard) StartConsole()                             {}
func (*fakeBoard) Console() io.ReadWriter                    { return &bytes.Buffer{} }
func (*fakeBoard) ConsoleStats(w io.Writer)                  { io.WriteString(w, "uart: host\n") }
func (b *fakeBoard) ConsoleTx(c byte)                        { b.tx.WriteByte(c) }
func (*fakeBoard) DiscardConsole(time.Duration)              {}
func (*fakeBoard) ConsoleMidLine() bool                      { return false }
func (*fakeBoard) ContinueConsoleCut()                       {}
func (*fakeBoard) ConsoleDiscarding() (bool, int)            { return false, 0 }
func (*fakeBoard) HotReboot(int) error                       { return errors.New("no hot reboot on the host") }
func (*fakeBoard) WarmReset()                                {}
func (*fakeBoard) ColdReset()                                {}
func (*fakeBoard) Exit(int) bool                             { return true }
func (b *fakeBoard) ResetCause() string                      { return b.cause }
func (b *fakeBoard) EnableWatchdog(ms int)                   { b.wdogTimeout.Store(int64(ms)) }
func (b *fakeBoard) ServiceWatchdog(int)                     { b.wdogServices.Add(1) }
func (*fakeBoard) StampWatchdog()                            {}
func (*fakeBoard) SinceWatchdogStamp() (time.Duration, bool) { return 0, false }
func (*fakeBoard) WatchdogPeriod(ms int) time.Duration       { return time.Duration(ms) * time.Millisecond }
func (b *fakeBoard) Bank() (uint32, []byte)                  { return 0x9ff00000, b.bank }
func (*fakeBoard) LED(string, bool) error                    { return errors.New("no LEDs") }
func (*fakeBoard) RestoreReport() (string, bool)             { return "off", false }
func (*fakeBoard) BSSCanary() uint32                         { return 0 }
func (*fakeBoard) Stage() (uint32, []byte)                   { return 0, nil }
func (*fakeBoard) ImageArea() (uint32, uint32)               { return 0, 0 }
func (*fakeBoard) CopyRoutine() ([]byte, error) {
	return nil, errors.New("no copy routine on the host")
}
func (*fakeBoard) BootStaged(int, uint32, uint32) {}
func (*fakeBoard) RunningImage() (uint32, []upgrade.Segment, error) {
	return 0, nil, errors.New("no image on the host")
}
func (*fakeBoard) ReadHostFile(string, int, int, func(int, int)) ([]byte, error) {
	return nil, errors.New("no host file on the host")
}
func (*fakeBoard) NetStats(io.Writer) error { return errors.New("no link") }
func (*fakeBoard) RTC() (time.Time, string, error) {
	return time.Date(2026, 12, 3, 7, 0, 0, 0, time.UTC), "fake clock", nil
}
func (*fakeBoard) SetRTC(time.Time) error { return errors.New("not settable") }
func (*fakeBoard) SetTime(int64)          {}
func (b *fakeBoard) Listen(netip.Prefix, net.HardwareAddr, net.HardwareAddr, uint16) (net.Listener, string, error) {
	if b.link == nil {
		return nil, "", errors.New("no network on the host")
	}
	return b.link, "loopback", nil
}

const testBank = 64 * pmm.PageSize

// k is the system the last host boot returned (bootOn, bootNoBank).
var k *system

// bootOn runs Main's boot on a fake board whose bank is mem, with cfg,
// and returns the console log (what reaches the console while no session
// is attached); k is the running system.
func bootOn(t *testing.T, mem []byte, cfg Config) *logBuffer {
	t.Helper()
	log := bootHost(t, mem, cfg)
	require.NotNil(t, k.recs, "the bank opened")
	return log
}

// bootHost boots on mem whatever the bank holds and stops the system's
// controller and watchdog service when the test ends.
func bootHost(t *testing.T, mem []byte, cfg Config) *logBuffer {
	t.Helper()
	return bootBoard(t, &fakeBoard{bank: mem}, cfg)
}

// bootBoard is bootHost on a fake board the test set up.
func bootBoard(t *testing.T, b *fakeBoard, cfg Config) *logBuffer {
	t.Helper()
	log := &logBuffer{}
	s := boot(b, cfg, log)
	k = s
	t.Cleanup(func() {
		if s.ctl != nil {
			_ = s.ctl.Shutdown(time.Second)
		}
		close(s.quit)
	})
	return log
}

// logBuffer is the console log of a host boot: the SSH server's
// goroutines write it while the test reads it.
type logBuffer struct {
	mu sync.Mutex
	b  bytes.Buffer
}

func (l *logBuffer) Write(p []byte) (int, error) {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.b.Write(p)
}

func (l *logBuffer) String() string {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.b.String()
}

func (l *logBuffer) Reset() {
	l.mu.Lock()
	defer l.mu.Unlock()
	l.b.Reset()
}

// noSSH is the boot's line for the network console (step 11) on an image
// built without an authorized key, as the tests' is.
const noSSH = "ssh: no authorized key built in; network console off\n"

// exec runs a console line and returns its output, or the error's text.
func exec(t *testing.T, line string) string {
	t.Helper()
	var out bytes.Buffer
	if err := k.shell.Exec(&out, line); err != nil {
		return "error: " + err.Error()
	}
	return out.String()
}

// idle is a program that runs until it must stop.
func idle(ctx *actors.Context) error {
	<-ctx.Done()
	return actors.ErrStopped
}

func register(p *actors.Programs) error { return p.Register("idle", idle, "wait until stopped") }

// A cold bank, an intent recorded before a reset, and the boot after it: the
// boot record, the banner's reason and the groups resumed.
func TestBootSequenceOnHost(t *testing.T) {
	mem := make([]byte, testBank)
	bootOn(t, mem, Config{Programs: register})
	assert.True(t, k.cold())
	assert.Equal(t, "cold bank: blank", k.start.Reason)
	assert.Equal(t, "Started aid = 1\n", exec(t, "arun -g 3 idle"))

	k.recordIntent(bootrec.PathHot, bootrec.SiteAsked, "console restart")
	require.NoError(t, k.ctl.Shutdown(time.Second))

	log := bootOn(t, mem, Config{Programs: register})
	assert.False(t, k.cold())
	assert.Equal(t, "hot reboot after console restart", k.start.Reason)
	assert.True(t, k.start.SiteRestart)
	r := k.recs.Record()
	assert.EqualValues(t, 2, r.Boots)
	assert.EqualValues(t, 1, r.SiteRestarts)
	assert.EqualValues(t, 1, r.HotReboots)
	assert.Contains(t, log.String(), "hr: 1 groups resumed\n")
}

// The startup script's `arun -g` lines run on a cold boot only.
func TestStartupScriptOnHost(t *testing.T) {
	saved := startupScript
	t.Cleanup(func() { startupScript = saved })
	startupScript = "arun -g 2 idle\nnosuch\n"
	mem := make([]byte, testBank)
	log := bootOn(t, mem, Config{Programs: register})
	assert.Equal(t, "hr: controller: 0 groups in the bank, 0 restartable actors registered, next aid 1\n"+noSSH+
		"startup:1: arun -g 2 idle\nStarted aid = 1\n"+
		"startup:2: nosuch\nstartup:2: error: unknown command \"nosuch\" (try help)\n", log.String())
	k.recordIntent(bootrec.PathHot, bootrec.SiteAsked, "console restart")
	require.NoError(t, k.ctl.Shutdown(time.Second))

	log = bootOn(t, mem, Config{Programs: register})
	assert.Equal(t, "hr: group 2: members 1 (direct 1), restarts 0, badness 0\n"+
		"hr: controller: 1 groups in the bank, 1 restartable actors registered, next aid 33\n"+noSSH+
		"startup:1: skipped on warm boot: arun -g 2 idle\n"+
		"startup:2: nosuch\nstartup:2: error: unknown command \"nosuch\" (try help)\n"+
		"hr: group 2 running: idle.2.1 aid 33\nhr: 1 groups resumed\n", log.String())
	assert.Contains(t, exec(t, "aps"), "idle.2.1")
}

// An image's own commands and programs come through Config; a command whose
// name is taken is reported and left out, the built-in one kept.
func TestConfigCommandsAndPrograms(t *testing.T) {
	mine := console.Cmd{Name: "hello", Help: "say hello", Fn: func(out io.Writer, _ []string) error {
		_, err := io.WriteString(out, "hello from the image\n")
		return err
	}}
	taken := console.Cmd{Name: "aps", Help: "shadow", Fn: func(io.Writer, []string) error { return nil }}
	log := bootOn(t, make([]byte, testBank), Config{Programs: register, Commands: []console.Cmd{mine, taken}})
	first, _, _ := strings.Cut(log.String(), "\n")
	assert.Equal(t, "hr: console: command \"aps\" registered twice: left out", first)
	require.NotNil(t, k.ctl)
	assert.Equal(t, "hello from the image\n", exec(t, "hello"))
	assert.Contains(t, exec(t, "aps"), "GROUP", "the built-in aps is kept")
	assert.Equal(t, "idle       wait until stopped\n", exec(t, "programs"))
}

// A Programs function that fails leaves the controller out, says why, and
// the console still serves the bank.
func TestConfigProgramsError(t *testing.T) {
	bootOn(t, make([]byte, testBank), Config{Programs: func(*actors.Programs) error { return errors.New("bad table") }})
	assert.Nil(t, k.ctl)
	assert.EqualError(t, k.startController(), "programs: bad table")
	assert.Contains(t, exec(t, "pmm stat"), "page size 4096")
}

// A Programs function that panics is an error like any other: no crash.
func TestConfigProgramsPanics(t *testing.T) {
	bootOn(t, make([]byte, testBank), Config{Programs: func(*actors.Programs) error { panic("nil map") }})
	assert.Nil(t, k.ctl)
	assert.EqualError(t, k.startController(), "programs: the Programs function panicked: nil map")
}

// `resume` leaves safe mode in the boot record, once.
func TestResumeLeavesSafeMode(t *testing.T) {
	bootOn(t, make([]byte, testBank), Config{Programs: register})
	assert.Equal(t, "error: resume: not in safe mode (resume GID restarts a held group)", exec(t, "resume"))
	k.recs.Update(func(r *bootrec.Record) { r.SafeMode = true })
	assert.Equal(t, "hr: 0 groups resumed\n", exec(t, "resume"))
	assert.False(t, k.recs.Record().SafeMode)
}
