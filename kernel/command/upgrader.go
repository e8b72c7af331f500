package command

import (
	"io"

	"github.com/hotrestart/tamago-hr/kernel/console"
	"github.com/hotrestart/tamago-hr/kernel/upgrade"
)

// Upgrader is what the hot upgrade's commands (`version`, `upgrade`,
// `upgrade status`, `upgrade commit`) need of the running kernel. What an
// upgrade does stays in the kernel (the image checks, the staging, the
// trial, the security floor, their lock); the commands parse the line,
// receive the image and print.
type Upgrader interface {
	// BoardName is the board's name, as in its images' manifests
	// ("mx6ullevk", "usbarmory").
	BoardName() string
	// Upgrade receives an image with stream and, when every check
	// passes, boots it; it returns only with the reason it did not, and
	// the running image then keeps running unchanged. One upgrade at a
	// time; none while another version is on trial. out gets progress.
	Upgrade(out io.Writer, drops upgrade.Drops, stream func() ([]byte, error)) error
	// ReceiveLimit is the largest image Upgrade takes, in bytes: a
	// whole staging slot.
	ReceiveLimit() int
	// ReadHostFile reads a file of the emulator's host (semihosting) in
	// chunks of chunk bytes, at most max bytes, calling progress after
	// each; an error on silicon.
	ReadHostFile(path string, max, chunk int, progress func(done, total int)) ([]byte, error)
	// CommitUpgrade ends a trial now: the new image is the one kept. It
	// returns the state that holds after it, or why the trial goes on.
	CommitUpgrade() (upgrade.State, error)
	// UpgradeStatus is the upgrade as it is now.
	UpgradeStatus() UpgradeStatus
}

// UpgradeStatus is the hot upgrade at one moment: what `upgrade status`
// prints, as text or as one JSON object (upgrade.StatusJSON).
type UpgradeStatus struct {
	Running                     string // the running image's version
	StagedNew, StagedPrev       string // the staged images' versions
	StagedNewErr, StagedPrevErr error  // why a slot holds no image; nil when it does
	Security                    uint32 // the running image's security version
	Floor                       uint32 // the lowest one this board accepts
	State                       upgrade.State
	RunMs                       uint64           // in a trial: its run time so far, persistent clock, ms
	LimitMs                     uint64           // a trial's length (kern.upgradeTrial), ms
	Health                      []upgrade.Health // in a trial: every restart group now
}

// JSON is s as `upgrade status -json` prints it.
func (s UpgradeStatus) JSON() upgrade.StatusJSON {
	j := upgrade.NewStatusJSON(s.State, s.RunMs, s.LimitMs, s.Health)
	j.Running, j.Security, j.Floor = s.Running, s.Security, s.Floor
	j.StagedNew, j.StagedPrev = s.StagedNew, s.StagedPrev
	if s.StagedNewErr != nil {
		j.StagedNewError = s.StagedNewErr.Error()
	}
	if s.StagedPrevErr != nil {
		j.StagedPrevErr = s.StagedPrevErr.Error()
	}
	return j
}

// AddUpgrade adds the upgrade's commands to sh, working on u; a name
// already in sh is a programming error (console.Shell.MustAdd).
func AddUpgrade(sh *console.Shell, u Upgrader) {
	c := upgradeCmds{u: u}
	sh.MustAdd(console.Cmd{Name: "version", Help: "the running image's version and board", Fn: c.version})
	sh.MustAdd(console.Cmd{Name: "upgrade", Syntax: upgradeSyntax,
		Help: "boot a new image, keep the bank and the groups (over SSH: upgrade < image.elf); --drop-…: accept an image without that protection", MaxArgs: 3, Fn: c.upgrade})
	sh.MustAdd(console.Cmd{Name: "upgrade status", Syntax: "[-json]", Help: "running and staged versions, security floor, trial", MaxArgs: 1, Fn: c.status})
	sh.MustAdd(console.Cmd{Name: "upgrade commit", Help: "end a trial now: keep the new image", Fn: c.commit})
}
