package kernel

import (
	"bytes"
	"errors"
	"fmt"
	"io"
	"slices"
	"strings"
	"sync"
	"time"
	_ "unsafe" // go:linkname

	"aead.dev/minisign"

	"github.com/hotrestart/tamago-hr/actors"
	"github.com/hotrestart/tamago-hr/board/tunables"
	"github.com/hotrestart/tamago-hr/kernel/bootrec"
	"github.com/hotrestart/tamago-hr/kernel/netconsole"
	tunedefs "github.com/hotrestart/tamago-hr/kernel/tunables"
	"github.com/hotrestart/tamago-hr/kernel/upgrade"
	"github.com/hotrestart/tamago-hr/kernel/upgrade/trusted"
	"github.com/hotrestart/tamago-hr/pmm"
	"github.com/hotrestart/tamago-hr/pmm/record"
)

// nanotime is the runtime's monotonic clock, from the system counter, which
// a jump into another image does not reset.
//
//go:linkname nanotime runtime.nanotime
func nanotime() int64

// upgrades is the hot upgrade's state (issue #16): the staging area, the
// trusted key, and the trial state kept in the bank.
type upgrades struct {
	mu     sync.Mutex
	stage  upgrade.Stage
	key    *minisign.PublicKey
	keyErr error
	state  upgrade.State
	rec    *record.Record // nil until an upgrade allocates the block
	busy   bool           // an upgrade is being received or checked
	sec    floors         // the security version floor (secver.go)
}

// runningManifest is the running image's manifest, built from the same
// constants the build wrote into the image's .hr.manifest.
func (k *system) runningManifest() upgrade.Manifest {
	vals := map[string]int64{}
	for i, v := range tunables.Current() {
		vals[tunedefs.Table[i].Name] = v
	}
	m := upgrade.NewManifest(trusted.Version, k.board.Name(), pmm.LayoutVersion, int(bootrec.Kind.Version), vals)
	m.SetProtections(runningProtections())
	return m
}

// runningProtections is what the running image protects: an SSH console
// (authorized keys built in) and signed upgrades (an upgrade key built in).
func runningProtections() upgrade.Protections {
	keys, err := netconsole.ParseAuthorizedKeys(authorizedKeys)
	return upgrade.Protections{SSHConsole: err == nil && len(keys) > 0, SignedUpgrades: len(trusted.PublicKey) > 0}
}

// upgradeBoot maps the staging area, reads the trial state and judges the
// trial at this boot (upgrade.State.OnBoot); a failed trial boots the
// previous image at once and does not return. Called after the crash-loop
// breaker decided the mode, before any actor starts.
func (k *system) upgradeBoot() {
	addr, mem := k.board.Stage()
	k.up.stage = upgrade.Stage{Mem: mem, Base: addr}
	if len(trusted.PublicKey) > 0 {
		k.up.key, k.up.keyErr = upgrade.ParsePublicKey(trusted.PublicKey)
	}
	k.up.sec.load(k.bank)
	if err := k.up.load(k.bank); err != nil {
		fmt.Printf("hr: upgrade: %v\n", err)
		// no trial to roll back to: copies kept for one (a reset before
		// the switch wrote the state) would hold their slots for good
		if n, _ := actors.DropKept(k.bank); n > 0 {
			fmt.Printf("hr: upgrade: %d states kept for a rollback that cannot come freed\n", n)
		}
		return
	}
	// the stamp is this image's only if the switch entered it: after a
	// reset that reloaded the flashed image it spans the reset
	if ns, ok := k.up.stage.TakeStamp(); ok && k.up.state.Phase == upgrade.Trial && k.up.state.To == trusted.Version && !k.start.Reset {
		fmt.Printf("hr: upgrade: switched in %.1f ms (board clock: copy and start of this image)\n", float64(k.rawNanotime()-ns)/1e6)
	}
	before := k.up.state.Marshal()
	rollBack := k.up.state.OnBoot(upgrade.Boot{
		ClockMs: k.persistentClock(), Running: trusted.Version,
		Reset: k.start.Reset, AutoSite: k.start.AutoSite, SafeMode: k.recs.Record().SafeMode,
		RecordLost: k.recordLost,
	})
	changed := !bytes.Equal(k.up.state.Marshal(), before)
	if changed {
		if err := k.up.save(); err != nil {
			fmt.Printf("hr: upgrade: %v\n", err) // the judgement holds for this boot
		}
	}
	// an image on trial raises the floor only when committed, so that
	// its rollback stays possible
	k.up.sec.raise(k.bank, upgrade.FloorAtBoot(k.up.sec.floor, runningSecurity(),
		k.up.state.Phase == upgrade.Trial && k.up.state.To == trusted.Version))
	if !rollBack {
		k.settleKept(k.up.state.Phase)
	}
	switch {
	case rollBack:
		fmt.Printf("hr: upgrade: %s\n", k.up.state)
		err := k.bootStaged(upgrade.SlotPrev, "rollback from "+k.up.state.To+" to "+k.up.state.From+": "+k.up.state.Why, nil)
		fmt.Printf("hr: upgrade: rollback impossible: %v; %s keeps running\n", err, trusted.Version)
	case k.up.state.Phase == upgrade.Trial:
		fmt.Printf("hr: upgrade: %s, %d of %d ms\n", k.up.state, k.up.state.RunMs(k.persistentClock()), tunables.UpgradeTrial)
		go k.watchTrial()
	case changed:
		fmt.Printf("hr: upgrade: %s\n", k.up.state)
	}
}

// upgradeCheckPrograms ends a trial at once, before any group resumes, when
// this image lacks programs that the bank's groups run: they could not
// restart, and a trial with no automatic site restart would commit a
// version that left them dead. It does not return then.
func (k *system) upgradeCheckPrograms() {
	k.up.mu.Lock()
	trial := k.up.state.Phase == upgrade.Trial && k.up.state.To == trusted.Version
	k.up.mu.Unlock()
	if !trial || k.ctl == nil {
		return
	}
	have := map[string]bool{}
	for _, n := range k.progs.Names() {
		have[n] = true
	}
	var missing []string
	for _, a := range k.ctl.Actors() {
		if a.Group >= 0 && !have[a.Program] && !slices.Contains(missing, a.Program) {
			missing = append(missing, a.Program)
		}
	}
	if len(missing) == 0 {
		return
	}
	k.up.mu.Lock()
	k.up.state.Fail(fmt.Sprintf("%s lacks the programs %s that the bank's groups run", trusted.Version, strings.Join(missing, ", ")))
	err := k.up.save()
	s := k.up.state
	k.up.mu.Unlock()
	fmt.Printf("hr: upgrade: %s\n", s)
	if err != nil {
		fmt.Printf("hr: upgrade: %v; rolling back regardless\n", err) // the safe direction
	}
	err = k.bootStaged(upgrade.SlotPrev, "rollback from "+s.To+" to "+s.From+": "+s.Why, nil)
	fmt.Printf("hr: upgrade: rollback impossible: %v; %s keeps running\n", err, trusted.Version)
}

// load reads the trial state, if an upgrade ever allocated its block.
func (u *upgrades) load(b *pmm.Bank) error {
	blk, _, err := b.Lookup(upgrade.BlockName)
	if errors.Is(err, pmm.ErrNotFound) {
		return nil
	} else if err != nil {
		return err
	}
	rec, p, err := record.Load(blk, upgrade.Kind)
	u.rec = rec
	if err != nil {
		return err
	}
	u.state, err = upgrade.UnmarshalState(p)
	return err
}

// reserve allocates the trial state's block in the bank if no upgrade did
// yet: an upgrade reserves it before anything stops, and is refused when
// the bank has no room for it (a trial that cannot be kept would switch the
// rollback off).
func (u *upgrades) reserve(b *pmm.Bank) error {
	if u.rec != nil {
		return nil
	}
	blk, err := b.AllocateAs(pmm.System, upgrade.BlockName, record.BlockSize(upgrade.PayloadSize), upgrade.BlockKey)
	if err != nil {
		return fmt.Errorf("no room in the bank for the trial state %s: %w", upgrade.BlockName, err)
	}
	u.rec, _, _ = record.Load(blk, upgrade.Kind) // a fresh block: ErrEmpty
	return nil
}

// save writes the trial state to the block reserve allocated.
func (u *upgrades) save() error {
	if u.rec == nil {
		return fmt.Errorf("trial state not kept: %s was not reserved", upgrade.BlockName)
	}
	if err := u.rec.Write(u.state.Marshal()); err != nil {
		return fmt.Errorf("trial state not kept: %w", err)
	}
	return nil
}

// trialPoll is how often a trial's run time is checked.
const trialPoll = 250 * time.Millisecond

// watchTrial ends the trial when kern.upgradeTrial ms of run time have
// passed: committed, or rolled back if it had automatic site restarts.
func (k *system) watchTrial() {
	for {
		time.Sleep(trialPoll)
		health := k.groupHealth()
		k.up.mu.Lock()
		atEnd := k.up.state.RunMs(k.persistentClock()) >= tunables.UpgradeTrial
		ended := k.up.state.Services(health, atEnd) || k.up.state.Tick(k.persistentClock(), tunables.UpgradeTrial)
		var err error
		if ended {
			err = k.up.save()
		}
		if ended && k.up.state.Phase == upgrade.Committed {
			k.up.sec.raise(k.bank, upgrade.FloorAtCommit(k.up.sec.floor, runningSecurity()))
		}
		s := k.up.state
		k.up.mu.Unlock()
		if err != nil {
			// the block was reserved before the switch: only a bank
			// that broke since gets here; the next boot judges again
			fmt.Fprintf(&k.out, "hr: upgrade: %v\n", err)
		}
		switch {
		case !ended && s.Phase == upgrade.Trial:
			continue
		case s.Phase == upgrade.RolledBack:
			fmt.Fprintf(&k.out, "hr: upgrade: %s\n", s)
			err := k.bootStaged(upgrade.SlotPrev, "rollback from "+s.To+" to "+s.From+": "+s.Why, nil)
			fmt.Fprintf(&k.out, "hr: upgrade: rollback impossible: %v\n", err)
		case ended:
			fmt.Fprintf(&k.out, "hr: upgrade: %s after %d ms of run time\n", s, tunables.UpgradeTrial)
			k.settleKept(s.Phase)
		}
		return
	}
}

// settleKept ends the life of the states kept for a rollback once the
// upgrade is decided: a rollback (this is the previous version, before any
// group resumes) gives each state back and says how, a commit frees them.
// Nothing is done during a trial.
func (k *system) settleKept(p upgrade.Phase) {
	switch p {
	case upgrade.Trial:
	case upgrade.RolledBack:
		for _, l := range actors.RestoreKept(k.bank) {
			fmt.Printf("hr: upgrade: state %s\n", l)
		}
	default:
		_, _ = actors.DropKept(k.bank)
	}
}

// groupHealth is the trial's view of every restart group now.
func (k *system) groupHealth() []upgrade.Health {
	if k.ctl == nil {
		return nil
	}
	// a member whose program this image refused (actors.WithState: a state
	// type the bank cannot keep) never starts, though its group is running
	refused := map[int]string{}
	if k.progs != nil {
		why := map[string]string{}
		for _, r := range k.progs.Refused() {
			name, reason, _ := strings.Cut(r, ": ")
			why[name] = reason
		}
		for _, a := range k.ctl.Actors() {
			if r, ok := why[a.Program]; ok && a.Group >= 0 && refused[a.Group] == "" {
				refused[a.Group] = "program " + a.Program + " refused: " + r
			}
		}
	}
	var out []upgrade.Health
	for _, g := range k.ctl.Groups() {
		h := upgrade.Health{GID: g.GID, State: string(g.State),
			Held: g.Hold != "", StateError: g.StateError}
		if h.StateError == "" {
			h.StateError = refused[g.GID]
		}
		out = append(out, h)
	}
	return out
}

// runningGroups lists the groups running now (at most upgrade.MaxGroups):
// the ones an upgrade's trial requires to stay running.
func (k *system) runningGroups() []uint16 {
	var gids []uint16
	for _, h := range k.groupHealth() {
		if h.State == string(actors.GroupRunning) && len(gids) < upgrade.MaxGroups {
			gids = append(gids, uint16(h.GID))
		}
	}
	return gids
}

// upgradeWith checks a received upgrade stream and, when every check
// passes, stages it with the running image as the previous one and boots
// it; it returns only with the reason it did not.
func (k *system) upgradeWith(out io.Writer, stream []byte, drops upgrade.Drops, t0 time.Time) error {
	// from the start of DRAM (the copy runs with the MMU off, and the new
	// image builds its own vectors and page tables) to the save area
	start, end := k.board.ImageArea()
	img, err := upgrade.Parse(stream, upgrade.Area{Start: start, End: end})
	if err != nil {
		return err
	}
	running := k.runningManifest()
	if err := img.Manifest.Compatible(running); err != nil {
		return err
	}
	if k.up.keyErr != nil {
		return fmt.Errorf("the key built into this image is unusable: %v", k.up.keyErr)
	}
	if err := img.Verify(k.up.key); err != nil {
		return err
	}
	k.up.mu.Lock()
	floor := k.up.sec.floor
	k.up.mu.Unlock()
	if err := img.Manifest.CheckSecurity(floor); err != nil {
		return err
	}
	// believed once the signature is: the manifest is in the signed ELF
	if err := img.Manifest.KeepsProtections(running.Protections(), drops); err != nil {
		return err
	}
	from, to := trusted.Version, img.Manifest[upgrade.KeyVersion]
	if to == from {
		return fmt.Errorf("the new image has the running version %s: build it with another VERSION=", from)
	}
	if k.bank == nil || k.recs == nil {
		return errors.New("no bank: nothing would survive the upgrade")
	}
	if k.ctl != nil {
		if err := checkUpgradeStates(k.bank, k.ctl.Actors(), img.Manifest); err != nil {
			return err
		}
	}
	// before anything is staged or stops: a trial the bank cannot keep has
	// no rollback
	k.up.mu.Lock()
	err = k.up.reserve(k.bank)
	k.up.mu.Unlock()
	if err != nil {
		return err
	}
	entry, segs, err := k.board.RunningImage()
	if err != nil {
		return fmt.Errorf("cannot keep %s for a rollback: %v", from, err)
	}
	if err := k.up.stage.Put(upgrade.SlotPrev, from, entry, segs); err != nil {
		return fmt.Errorf("staging %s: %v", from, err)
	}
	if err := k.up.stage.Put(upgrade.SlotNew, to, img.Entry, img.Segments); err != nil {
		return fmt.Errorf("staging %s: %v", to, err)
	}
	kept, err := actors.ReserveKept(k.bank) // filled by bootStaged once the actors stopped
	if err != nil {
		return err
	}
	fmt.Fprintf(out, "upgrade: %s checked and staged in %v; %s kept for a rollback, with %d states\n",
		to, time.Since(t0).Round(time.Millisecond), from, len(kept))
	k.up.mu.Lock()
	before := k.up.state
	k.up.state.Begin(from, to, k.persistentClock())
	k.up.state.Groups = k.runningGroups()
	err = k.up.save()
	k.up.mu.Unlock()
	if err == nil {
		err = k.bootStaged(upgrade.SlotNew, "upgrade from "+from+" to "+to, out)
	}
	k.up.mu.Lock() // still here: nothing stopped, the previous state holds
	k.up.state = before
	if serr := k.up.save(); serr != nil {
		err = fmt.Errorf("%v; and %v", err, serr)
	}
	k.up.mu.Unlock()
	_, _ = actors.DropKept(k.bank)
	return err
}

// bootStaged boots the image staged in slot by the one way down (goDown:
// actors stopped, intent in the boot record, log flushed). It returns only
// when the slot or the copy routine is unusable, or another way down is
// under way: before anything stopped. by is the asking command's output,
// nil for none (down.by).
func (k *system) bootStaged(slot int, intent string, by io.Writer) error {
	_, desc, err := k.up.stage.Load(slot)
	if err != nil {
		return err
	}
	code, err := k.board.CopyRoutine()
	if err != nil {
		return err
	}
	addr, err := k.up.stage.PutCode(code)
	if err != nil {
		return err
	}
	d := down{hand: handStaged, kind: bootrec.PlainReset, why: intent, say: intent, by: by, copyAddr: addr, desc: desc}
	if slot == upgrade.SlotNew { // the states' last values, for a rollback
		d.afterStop = func() { actors.FillKept(k.bank) }
	}
	return k.goDown(d)
}

// trialForget stops the trial from judging group gid, which the operator
// ended on purpose (akill -g): its absence at the trial's end is not the
// new version's failure.
func (k *system) trialForget(out io.Writer, gid int) {
	k.up.mu.Lock()
	defer k.up.mu.Unlock()
	if !k.up.state.Forget(gid) {
		return
	}
	if err := k.up.save(); err != nil {
		fmt.Fprintf(out, "upgrade: %v\n", err)
	}
	fmt.Fprintf(out, "upgrade: group %d ended by the operator: no longer judged by %s's trial\n", gid, k.up.state.To)
}
