package kernel

import (
	"errors"
	"fmt"
	"io"
	"time"

	"github.com/hotrestart/tamago-hr/board/tunables"
	"github.com/hotrestart/tamago-hr/kernel/command"
	"github.com/hotrestart/tamago-hr/kernel/upgrade"
	"github.com/hotrestart/tamago-hr/kernel/upgrade/trusted"
)

// system is the command.Upgrader the upgrade's commands work on.
var _ command.Upgrader = (*system)(nil)

// BoardName is the board's name (command.Upgrader).
func (k *system) BoardName() string { return k.board.Name() }

// ReadHostFile reads a file of the emulator's host (command.Upgrader).
func (k *system) ReadHostFile(path string, max, chunk int, progress func(done, total int)) ([]byte, error) {
	return k.board.ReadHostFile(path, max, chunk, progress)
}

// ReceiveLimit is the largest upgrade stream taken: a whole staging slot
// (command.Upgrader).
func (k *system) ReceiveLimit() int { return k.up.stage.SlotSize() }

// Upgrade receives a stream with receive and upgrades with it; one upgrade
// at a time (command.Upgrader). Any error leaves the running image as it
// was.
func (k *system) Upgrade(out io.Writer, drops upgrade.Drops, receive func() ([]byte, error)) error {
	if k.up.stage.Mem == nil {
		return fmt.Errorf("upgrade: no bank, so no staging area: nothing would survive; %s keeps running", trusted.Version)
	}
	k.up.mu.Lock()
	if s := k.up.state; s.Phase == upgrade.Trial {
		k.up.mu.Unlock()
		// a rollback goes to the previous slot: upgrading now would make
		// the unproven version the one to fall back to
		return fmt.Errorf("upgrade refused: %s is on trial (upgrade commit, or wait for its end); %s keeps running", s.To, trusted.Version)
	}
	if k.up.busy {
		k.up.mu.Unlock()
		return errors.New("upgrade: another upgrade is under way")
	}
	k.up.busy = true
	k.up.mu.Unlock()
	defer func() { k.up.mu.Lock(); k.up.busy = false; k.up.mu.Unlock() }()
	stream, err := receive()
	if err != nil {
		return fmt.Errorf("upgrade: %v; %s keeps running", err, trusted.Version)
	}
	fmt.Fprintf(out, "upgrade: received %d bytes\n", len(stream))
	if err := k.upgradeWith(out, stream, drops, time.Now()); err != nil {
		return fmt.Errorf("upgrade refused: %v; %s keeps running", err, trusted.Version)
	}
	return nil
}

// CommitUpgrade ends a trial: the new image is the one kept
// (command.Upgrader).
func (k *system) CommitUpgrade() (upgrade.State, error) {
	k.up.mu.Lock()
	before := k.up.state
	err := k.up.state.Commit()
	if err == nil {
		if err = k.up.save(); err != nil {
			k.up.state = before // not kept: the trial goes on
		} else {
			k.up.sec.raise(k.bank, upgrade.FloorAtCommit(k.up.sec.floor, runningSecurity()))
		}
	}
	s := k.up.state
	k.up.mu.Unlock()
	if err != nil {
		return s, err
	}
	k.settleKept(s.Phase)
	return s, nil
}

// UpgradeStatus is the running and staged versions, the security floor and
// the trial state now (command.Upgrader).
func (k *system) UpgradeStatus() command.UpgradeStatus {
	k.up.mu.Lock()
	s, floor := k.up.state, k.up.sec.floor
	k.up.mu.Unlock()
	st := command.UpgradeStatus{Running: trusted.Version, Security: runningSecurity(), Floor: floor,
		State: s, LimitMs: tunables.UpgradeTrial}
	if s.Phase == upgrade.Trial {
		st.RunMs, st.Health = s.RunMs(k.persistentClock()), k.groupHealth()
	}
	st.StagedNew, _, st.StagedNewErr = k.up.stage.Load(upgrade.SlotNew)
	st.StagedPrev, _, st.StagedPrevErr = k.up.stage.Load(upgrade.SlotPrev)
	return st
}
