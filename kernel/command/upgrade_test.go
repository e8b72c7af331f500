package command

import (
	"bytes"
	"errors"
	"fmt"
	"io"
	"regexp"
	"strconv"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/hotrestart/tamago-hr/kernel/console"
	"github.com/hotrestart/tamago-hr/kernel/upgrade"
)

// fakeUpgrader is an Upgrader on the host: what it was asked, a host file
// system for semihost:, and the answers it was given.
type fakeUpgrader struct {
	limit    int
	files    map[string][]byte // semihost: the emulator host's files
	refuse   error             // Upgrade's answer before it receives anything
	drops    []upgrade.Drops   // each Upgrade's
	got      [][]byte          // the streams received
	reads    []string          // ReadHostFile's "path max chunk"
	commit   upgrade.State
	commitEr error
	status   UpgradeStatus
}

func (f *fakeUpgrader) BoardName() string { return "fakeboard" }
func (f *fakeUpgrader) ReceiveLimit() int { return f.limit }

// Upgrade says what the kernel's does around the stream (its "keeps
// running" and "received" lines), so the transcripts read as on a board.
func (f *fakeUpgrader) Upgrade(out io.Writer, drops upgrade.Drops, stream func() ([]byte, error)) error {
	f.drops = append(f.drops, drops)
	if f.refuse != nil {
		return f.refuse
	}
	b, err := stream()
	if err != nil {
		return fmt.Errorf("upgrade: %v; v1 keeps running", err)
	}
	f.got = append(f.got, b)
	fmt.Fprintf(out, "upgrade: received %d bytes\n", len(b))
	return nil
}

// ReadHostFile reads chunk bytes a call, as the board's semihosting does.
func (f *fakeUpgrader) ReadHostFile(path string, max, chunk int, progress func(done, total int)) ([]byte, error) {
	f.reads = append(f.reads, fmt.Sprint(path, " ", max, " ", chunk))
	b, ok := f.files[path]
	switch {
	case !ok:
		return nil, fmt.Errorf("%s: cannot open on the host", path)
	case len(b) > max:
		return nil, fmt.Errorf("%s: %d bytes, more than the %d this board can stage", path, len(b), max)
	}
	for done := 0; done < len(b); {
		done = min(done+chunk, len(b))
		progress(done, len(b))
	}
	return b, nil
}

func (f *fakeUpgrader) CommitUpgrade() (upgrade.State, error) { return f.commit, f.commitEr }
func (f *fakeUpgrader) UpgradeStatus() UpgradeStatus          { return f.status }

// newUpgradeHost adds the upgrade's commands to a new shell over a fake.
func newUpgradeHost() (*console.Shell, *fakeUpgrader) {
	u := &fakeUpgrader{limit: 8 << 20, files: map[string][]byte{}}
	sh := console.New()
	AddUpgrade(sh, u)
	return sh, u
}

// sshOut is a session's output with its standard input: an SSH exec
// session (`ssh board upgrade < image.elf`).
type sshOut struct {
	bytes.Buffer
	in io.Reader
}

func (s *sshOut) Stdin() io.Reader { return s.in }

// execIn runs a console line in a session whose standard input is in.
func execIn(t *testing.T, sh *console.Shell, line string, in io.Reader) string {
	t.Helper()
	out := &sshOut{in: in}
	if err := sh.Exec(out, line); err != nil {
		return out.String() + "error: " + err.Error()
	}
	return out.String()
}

// chunks reads n bytes of b at most a Read: a network stream.
type chunks struct {
	b []byte
	n int
}

func (c *chunks) Read(p []byte) (int, error) {
	if len(c.b) == 0 {
		return 0, io.EOF
	}
	n := copy(p[:min(len(p), c.n)], c.b)
	c.b = c.b[n:]
	return n, nil
}

// Each bad `upgrade` line gets its one usage error and upgrades nothing;
// version names the image and the board.
func TestUpgradeUsage(t *testing.T) {
	sh, u := newUpgradeHost()
	const usage = "error: usage: upgrade [--drop-ssh] [--drop-signature] [semihost:PATH]"
	for line, want := range map[string]string{
		"upgrade --drop-all semihost:/x":  `error: usage: upgrade: no flag "--drop-all" (--drop-ssh, --drop-signature)`,
		"upgrade -json":                   `error: usage: upgrade: no flag "-json" (--drop-ssh, --drop-signature)`,
		"upgrade nonsense":                `error: usage: upgrade: "nonsense" is not semihost:PATH`,
		"upgrade status -x":               "error: usage: upgrade status [-json]",
		"upgrade status -json -json":      "error: usage: upgrade status [-json]",
		"upgrade commit now":              "error: usage: upgrade commit",
		"upgrade --drop-ssh status":       usage,
		"upgrade --drop-signature commit": usage,
		"upgrade semihost:/x --drop-ssh":  usage,
		"upgrade semihost:/x semihost:/y": usage,
		"upgrade --drop-ssh":              "error: usage: upgrade semihost:PATH, or over SSH: upgrade < image.elf",
		"upgrade":                         "error: usage: upgrade semihost:PATH, or over SSH: upgrade < image.elf",
		"version":                         "unknown on fakeboard\n",
	} {
		assert.Equal(t, want, exec(t, sh, line), line)
	}
	assert.Empty(t, u.drops, "no upgrade began")
	assert.Empty(t, u.reads)
}

// The --drop-… flags come first, in any order, and reach the upgrade as
// what the operator gives up; without them nothing is given up.
func TestUpgradeDropFlags(t *testing.T) {
	d, rest, err := upgradeDrops([]string{"--drop-signature", "--drop-ssh", "semihost:/x"})
	require.NoError(t, err)
	assert.Equal(t, upgrade.Drops{SSHConsole: true, SignedUpgrades: true}, d)
	assert.Equal(t, []string{"semihost:/x"}, rest)

	sh, u := newUpgradeHost()
	u.files["/x"] = []byte("elf")
	for _, line := range []string{"upgrade --drop-signature --drop-ssh semihost:/x", "upgrade --drop-ssh semihost:/x",
		"upgrade --drop-signature semihost:/x", "upgrade semihost:/x"} {
		assert.Equal(t, "upgrade: 3/3 bytes\nupgrade: received 3 bytes\n", exec(t, sh, line), line)
	}
	assert.Equal(t, "upgrade: received 3 bytes\n", execIn(t, sh, "upgrade --drop-ssh", bytes.NewReader([]byte("elf"))))
	assert.Equal(t, []upgrade.Drops{{SSHConsole: true, SignedUpgrades: true}, {SSHConsole: true}, {SignedUpgrades: true}, {},
		{SSHConsole: true}}, u.drops)
}

// semihost:PATH reads the host's file through the Upgrader, at most a
// staging slot, 256 KiB a call, saying how far it got every 2 MiB and at
// the end.
func TestUpgradeSemihost(t *testing.T) {
	sh, u := newUpgradeHost()
	u.files["/img/v2.elf"] = make([]byte, 5<<20+1)
	assert.Equal(t, "upgrade: 2097152/5242881 bytes\nupgrade: 4194304/5242881 bytes\nupgrade: 5242881/5242881 bytes\n"+
		"upgrade: received 5242881 bytes\n", exec(t, sh, "upgrade semihost:/img/v2.elf"))
	assert.Equal(t, []string{"/img/v2.elf 8388608 262144"}, u.reads)

	u.files["/big"] = make([]byte, 8<<20+1)
	assert.Equal(t, "error: upgrade: /big: 8388609 bytes, more than the 8388608 this board can stage; v1 keeps running",
		exec(t, sh, "upgrade semihost:/big"))
	assert.Equal(t, "error: upgrade: semihost: no path; v1 keeps running", exec(t, sh, "upgrade semihost:"))
	assert.Len(t, u.reads, 2, "an empty path is not read")
	assert.Len(t, u.got, 1)
	// a path the board's errors would echo raw to the terminal is refused
	// quoted, unread (hostile finding R2-6)
	assert.Equal(t, `error: upgrade: semihost: path "a\x1b[31mred\a" holds control characters or is not UTF-8; v1 keeps running`,
		exec(t, sh, "upgrade semihost:a\x1b[31mred\a"))
	assert.Equal(t, `error: upgrade: semihost: path "\ufffd.elf" holds control characters or is not UTF-8; v1 keeps running`,
		exec(t, sh, "upgrade semihost:\xff.elf"))
	assert.Len(t, u.reads, 2, "neither is read")
}

// An upgrade the kernel refuses before receiving (a version on trial,
// another upgrade under way, no staging area) says why, as the kernel put
// it, and reads nothing of the stream.
func TestUpgradeRefusedReadsNothing(t *testing.T) {
	sh, u := newUpgradeHost()
	u.files["/x"] = []byte("elf")
	u.refuse = errors.New("upgrade refused: v2 is on trial (upgrade commit, or wait for its end); v1 keeps running")
	stream := &chunks{b: []byte("elf"), n: 1}
	assert.Equal(t, "error: "+u.refuse.Error(), execIn(t, sh, "upgrade", stream))
	assert.Equal(t, "error: "+u.refuse.Error(), exec(t, sh, "upgrade semihost:/x"))
	assert.Equal(t, []byte("elf"), stream.b, "the stream was not read")
	assert.Empty(t, u.reads, "the host file was not read")
}

// Over SSH the image is the session's standard input, read to its end,
// at most a staging slot, with a line every 2 MiB; a read error stops it.
func TestUpgradeOverStdin(t *testing.T) {
	sh, u := newUpgradeHost()
	img := make([]byte, 5<<20)
	img[len(img)-1] = 7
	out := execIn(t, sh, "upgrade", &chunks{b: img, n: 64 << 10})
	require.Equal(t, []byte(img), u.got[0])
	lines := regexp.MustCompile(`^upgrade: (\d+) bytes\nupgrade: (\d+) bytes\nupgrade: received 5242880 bytes\n$`).FindStringSubmatch(out)
	require.Len(t, lines, 3, out)
	for i, s := range lines[1:] { // at the first read past each 2 MiB
		n, _ := strconv.Atoi(s)
		assert.True(t, n >= (i+1)<<21 && n < (i+1)<<21+64<<10, "progress %d at %d bytes", i, n)
	}

	u.limit = 1 << 20
	assert.Equal(t, "error: upgrade: stream longer than the 1048576 bytes a staging slot holds; v1 keeps running",
		execIn(t, sh, "upgrade", &chunks{b: make([]byte, 1<<20+1), n: 64 << 10}))
	assert.Equal(t, "upgrade: received 1048576 bytes\n", execIn(t, sh, "upgrade", &chunks{b: make([]byte, 1<<20), n: 64 << 10}))
	tty := errors.New("standard input is a terminal (ssh -t), not a file")
	assert.Equal(t, "error: upgrade: receive stopped after 0 bytes: standard input is a terminal (ssh -t), not a file; v1 keeps running",
		execIn(t, sh, "upgrade", failing{tty}))
}

// failing is a reader that fails with its error.
type failing struct{ err error }

func (f failing) Read([]byte) (int, error) { return 0, f.err }

// An upgrade stream that stops sending is given up after the idle time, so
// a stalled SSH client cannot hold the one upgrade slot; data that comes is
// read as it is.
func TestReceiveGivesUpOnAStalledStream(t *testing.T) {
	r, w := io.Pipe()
	t.Cleanup(func() { _ = w.Close() })
	p := make([]byte, 8)
	n, err := readIdle(r, p, 20*time.Millisecond)
	assert.Zero(t, n)
	assert.EqualError(t, err, "no data for 20ms")

	r2, w2 := io.Pipe()
	go func() { _, _ = w2.Write([]byte("elf")) }()
	n, err = readIdle(r2, p, time.Minute)
	require.NoError(t, err)
	assert.Equal(t, "elf", string(p[:n]))

	r3, w3 := io.Pipe()
	t.Cleanup(func() { _ = w3.Close() })
	go func() { _, _ = w3.Write([]byte("elf")) }() // then nothing more
	var out bytes.Buffer
	_, err = receive(&out, r3, 1<<20, 20*time.Millisecond)
	assert.EqualError(t, err, "receive stopped after 3 bytes: no data for 20ms")
	assert.Empty(t, out.String())
}

// `upgrade commit` prints the state it leaves, or why the trial goes on.
func TestUpgradeCommit(t *testing.T) {
	sh, u := newUpgradeHost()
	u.commit = upgrade.State{Phase: upgrade.Committed, From: "v1", To: "v2"}
	assert.Equal(t, "upgrade: committed: v2 (previous v1)\n", exec(t, sh, "upgrade commit"))
	u.commitEr = u.commit.Commit()
	require.Error(t, u.commitEr)
	assert.Equal(t, "error: upgrade: no upgrade on trial (committed)", exec(t, sh, "upgrade commit"))
}

// `upgrade status` prints one UpgradeStatus as text and, with -json, as
// upgrade.StatusJSON: both from the same value, in a trial and out of one.
func TestUpgradeStatusTextAndJSON(t *testing.T) {
	sh, u := newUpgradeHost()
	u.status = UpgradeStatus{Running: "v2", StagedNew: "v2", StagedPrev: "", StagedPrevErr: upgrade.ErrNoSlot,
		Security: 3, Floor: 2, State: upgrade.State{Phase: upgrade.Trial, From: "v1", To: "v2", Groups: []uint16{1, 2, 5}, Restarts: 1},
		RunMs: 31000, LimitMs: 30000,
		Health: []upgrade.Health{{GID: 1, State: "running"}, {GID: 2, State: "held-policy", StateError: "ODO@1: bad"}, {GID: 4, State: "running"}}}
	assert.Equal(t, "running: v2\nstaged new: v2\nstaged previous: (no staged image)\n"+
		"security version: 3; lowest accepted: 2 (highest committed on this board)\n"+
		"state: trial: v2 (previous v1), 30000 of 30000 ms\n"+
		"  group 1: running\n  group 2: held-policy, cannot load its state: ODO@1: bad\n  group 5: gone\n", exec(t, sh, "upgrade status"))
	assert.Equal(t, `{"running":"v2","staged_new":"v2","staged_new_error":"","staged_previous":"","staged_previous_error":"no staged image",`+
		`"security":3,"security_floor":2,"phase":"trial","from":"v1","to":"v2","why":"","trial_ms":30000,"trial_limit_ms":30000,`+
		`"trial_site_restarts":1,"groups":[{"gid":1,"state":"running","state_error":""},`+
		`{"gid":2,"state":"held-policy","state_error":"ODO@1: bad"},{"gid":5,"state":"gone","state_error":""}]}`+"\n",
		exec(t, sh, "upgrade status -json"))

	u.status = UpgradeStatus{Running: "v1", StagedNewErr: upgrade.ErrNoSlot, StagedPrevErr: upgrade.ErrNoSlot,
		State: upgrade.State{Phase: upgrade.RolledBack, From: "v1", To: "v2", Why: "crash loop"}, RunMs: 12, LimitMs: 30000}
	assert.Equal(t, "running: v1\nstaged new: (no staged image)\nstaged previous: (no staged image)\n"+
		"security version: 0; lowest accepted: 0 (highest committed on this board)\n"+
		"state: rolled back from v2 to v1: crash loop\n", exec(t, sh, "upgrade status"))
	assert.Equal(t, `{"running":"v1","staged_new":"","staged_new_error":"no staged image","staged_previous":"","staged_previous_error":"no staged image",`+
		`"security":0,"security_floor":0,"phase":"rolled-back","from":"v1","to":"v2","why":"crash loop","trial_ms":0,"trial_limit_ms":30000,`+
		`"trial_site_restarts":0,"groups":[]}`+"\n", exec(t, sh, "upgrade status -json"))
}
