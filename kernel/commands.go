package kernel

import (
	"errors"
	"io"

	"github.com/hotrestart/tamago-hr/actors"
	"github.com/hotrestart/tamago-hr/kernel/bootrec"
	"github.com/hotrestart/tamago-hr/kernel/command"
	"github.com/hotrestart/tamago-hr/pmm"
)

// addCommands builds the console's command table: the commands over the
// bank and the groups (kernel/command, on this system as a
// command.System), the kernel's own (kernel/command, on this system as a
// command.Machine: machine.go) and the hot upgrade's (kernel/command, on
// this system as a command.Upgrader: upgrader.go).
func (k *system) addCommands() {
	command.Add(k.shell, k)
	command.AddMachine(k.shell, k)
	command.AddUpgrade(k.shell, k)
}

// system is the command.System its commands work on.
var _ command.System = (*system)(nil)

// Bank is the bank, nil in the no-bank mode (command.System).
func (k *system) Bank() *pmm.Bank { return k.bank }

// Controller is the controller, nil without one (command.System).
func (k *system) Controller() *actors.Controller { return k.ctl }

// Programs is the image's programs, nil without a controller
// (command.System).
func (k *system) Programs() *actors.Programs { return k.progs }

// GroupKilled stops an upgrade's trial from judging the group the operator
// ended (command.System).
func (k *system) GroupKilled(out io.Writer, gid int) { k.trialForget(out, gid) }

// LeaveSafeMode is `resume` without a GID (command.System): safe mode ends
// in the boot record and every registered group restarts.
func (k *system) LeaveSafeMode(out io.Writer) error {
	if !k.recs.Record().SafeMode {
		return errors.New("resume: not in safe mode (resume GID restarts a held group)")
	}
	k.recs.Update(func(r *bootrec.Record) { r.SafeMode = false })
	k.resumeGroups(out)
	return nil
}
