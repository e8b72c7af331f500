package kernel

import (
	"errors"
	"fmt"
	"io"
	"strings"
	"time"

	"github.com/hotrestart/tamago-hr/board/tunables"
	"github.com/hotrestart/tamago-hr/kernel/console"
	"github.com/hotrestart/tamago-hr/kernel/upgrade"
	"github.com/hotrestart/tamago-hr/kernel/upgrade/trusted"
)

// semihostChunk is read per semihosting call; progress is printed every
// progressStep bytes.
const (
	semihostChunk = 256 << 10
	progressStep  = 2 << 20
)

func (k *system) addUpgradeCommands() {
	sh := k.shell
	sh.MustAdd(console.Cmd{Name: "version", Help: "the running image's version and board", Fn: func(out io.Writer, _ []string) error {
		fmt.Fprintf(out, "%s on %s\n", trusted.Version, k.board.Name())
		return nil
	}})
	sh.MustAdd(console.Cmd{Name: "upgrade", Syntax: upgradeSyntax,
		Help: "boot a new image, keep the bank and the groups (over SSH: upgrade < image.elf); --drop-…: accept an image without that protection", MaxArgs: 3, Fn: k.cmdUpgrade})
	sh.MustAdd(console.Cmd{Name: "upgrade status", Syntax: "[-json]", Help: "running and staged versions, security floor, trial", MaxArgs: 1, Fn: k.cmdUpgradeStatus})
	sh.MustAdd(console.Cmd{Name: "upgrade commit", Help: "end a trial now: keep the new image", Fn: k.cmdUpgradeCommit})
}

const upgradeSyntax = "[--drop-ssh] [--drop-signature] [semihost:PATH]"

// upgradeDrops takes the leading --drop-… flags off args: what the operator
// agrees that the new image no longer protects (upgrade.Protections).
func upgradeDrops(args []string) (upgrade.Drops, []string, error) {
	var d upgrade.Drops
	for len(args) > 0 && strings.HasPrefix(args[0], "-") {
		switch args[0] {
		case "--drop-ssh":
			d.SSHConsole = true
		case "--drop-signature":
			d.SignedUpgrades = true
		default:
			return d, nil, fmt.Errorf("%w: upgrade: no flag %s (--drop-ssh, --drop-signature)", console.ErrUsage, console.Quote(args[0]))
		}
		args = args[1:]
	}
	return d, args, nil
}

func (k *system) cmdUpgrade(out io.Writer, args []string) error {
	drops, args, err := upgradeDrops(args)
	if err != nil {
		return err
	}
	flags := drops != upgrade.Drops{}
	switch {
	case len(args) > 1, flags && len(args) == 1 && !strings.HasPrefix(args[0], "semihost:"):
		return fmt.Errorf("%w: upgrade %s", console.ErrUsage, upgradeSyntax)
	case len(args) == 0:
		in, ok := out.(console.StdinWriter)
		if !ok {
			return fmt.Errorf("%w: upgrade semihost:PATH, or over SSH: upgrade < image.elf", console.ErrUsage)
		}
		return k.upgradeOnce(out, drops, func() ([]byte, error) { return receive(out, in.Stdin(), k.receiveLimit()) })
	}
	switch arg := args[0]; {
	case strings.HasPrefix(arg, "semihost:"):
		return k.upgradeOnce(out, drops, func() ([]byte, error) {
			path := strings.TrimPrefix(arg, "semihost:")
			if path == "" {
				return nil, errors.New("semihost: no path")
			}
			next := progressStep
			return k.board.ReadHostFile(path, k.receiveLimit(), semihostChunk, func(done, total int) {
				if done >= next || done == total {
					fmt.Fprintf(out, "upgrade: %d/%d bytes\n", done, total)
					next += progressStep
				}
			})
		})
	}
	return fmt.Errorf("%w: upgrade: %s is not semihost:PATH", console.ErrUsage, console.Quote(args[0]))
}

// cmdUpgradeCommit ends a trial: the new image is the one kept.
func (k *system) cmdUpgradeCommit(out io.Writer, _ []string) error {
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
		return fmt.Errorf("upgrade: %v", err)
	}
	k.settleKept(s.Phase)
	fmt.Fprintf(out, "upgrade: %s\n", s)
	return nil
}

// receive reads an upgrade stream from in up to its end, at most limit
// bytes, printing progress. A stream cut before its end is caught by
// upgrade.Parse (the ELF's headers say how long it is).
func receive(out io.Writer, in io.Reader, limit int) ([]byte, error) {
	buf := make([]byte, 0, 1<<20)
	next := progressStep
	for {
		if len(buf) == cap(buf) {
			buf = append(buf, 0)[:len(buf)]
		}
		n, err := readIdle(in, buf[len(buf):cap(buf)], receiveIdle)
		buf = buf[:len(buf)+n]
		if len(buf) > limit {
			return nil, fmt.Errorf("stream longer than the %d bytes a staging slot holds", limit)
		}
		if len(buf) >= next {
			fmt.Fprintf(out, "upgrade: %d bytes\n", len(buf))
			next += progressStep
		}
		if errors.Is(err, io.EOF) {
			return buf, nil
		} else if err != nil {
			return nil, fmt.Errorf("receive stopped after %d bytes: %v", len(buf), err)
		}
	}
}

// receiveIdle is how long a stream may send nothing: a stalled peer must
// not hold the one upgrade slot (and a session) for ever.
const receiveIdle = 10 * time.Second

// readIdle is in.Read that gives up after idle with no data. A Read given
// up on goes on in its goroutine until the peer sends or closes; its bytes
// land in a buffer nobody reads any more.
func readIdle(in io.Reader, p []byte, idle time.Duration) (int, error) {
	type result struct {
		n   int
		err error
	}
	done := make(chan result, 1)
	go func() {
		n, err := in.Read(p)
		done <- result{n, err}
	}()
	t := time.NewTimer(idle)
	defer t.Stop()
	select {
	case r := <-done:
		return r.n, r.err
	case <-t.C:
		return 0, fmt.Errorf("no data for %v", idle)
	}
}

// upgradeOnce receives a stream with receive and upgrades with it; one
// upgrade at a time. Any error leaves the running image as it was.
func (k *system) upgradeOnce(out io.Writer, drops upgrade.Drops, receive func() ([]byte, error)) error {
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

// cmdUpgradeStatus is `upgrade status [-json]`.
func (k *system) cmdUpgradeStatus(out io.Writer, args []string) error {
	json, err := console.JSONFlag("upgrade status", args)
	if err != nil {
		return err
	}
	if json {
		return k.upgradeStatusJSON(out)
	}
	return k.upgradeStatus(out)
}

// upgradeStatusJSON is upgradeStatus as one JSON object (upgrade.StatusJSON).
func (k *system) upgradeStatusJSON(out io.Writer) error {
	k.up.mu.Lock()
	s, floor := k.up.state, k.up.sec.floor
	k.up.mu.Unlock()
	var health []upgrade.Health
	if s.Phase == upgrade.Trial {
		health = k.groupHealth()
	}
	j := upgrade.NewStatusJSON(s, s.RunMs(k.persistentClock()), tunables.UpgradeTrial, health)
	j.Running, j.Security, j.Floor = trusted.Version, runningSecurity(), floor
	var err error
	if j.StagedNew, _, err = k.up.stage.Load(upgrade.SlotNew); err != nil {
		j.StagedNewError = err.Error()
	}
	if j.StagedPrev, _, err = k.up.stage.Load(upgrade.SlotPrev); err != nil {
		j.StagedPrevErr = err.Error()
	}
	return console.WriteLine(out, j.Line)
}

// upgradeStatus prints the running version, the staged ones and the state.
func (k *system) upgradeStatus(out io.Writer) error {
	fmt.Fprintf(out, "running: %s\n", trusted.Version)
	for _, slot := range []struct {
		n    int
		name string
	}{{upgrade.SlotNew, "staged new"}, {upgrade.SlotPrev, "staged previous"}} {
		v, _, err := k.up.stage.Load(slot.n)
		if err != nil {
			v = "(" + err.Error() + ")"
		}
		fmt.Fprintf(out, "%s: %s\n", slot.name, v)
	}
	k.up.mu.Lock()
	s, floor := k.up.state, k.up.sec.floor
	k.up.mu.Unlock()
	fmt.Fprintf(out, "security version: %d; lowest accepted: %d (highest committed on this board)\n", runningSecurity(), floor)
	fmt.Fprintf(out, "state: %s", s)
	if s.Phase == upgrade.Trial {
		fmt.Fprintf(out, ", %d of %d ms", min(s.RunMs(k.persistentClock()), tunables.UpgradeTrial), tunables.UpgradeTrial)
	}
	fmt.Fprintln(out)
	if s.Phase == upgrade.Trial {
		health := k.groupHealth()
		for _, g := range s.Groups {
			fmt.Fprintf(out, "  %s\n", upgrade.HealthLine(int(g), health))
		}
	}
	return nil
}
