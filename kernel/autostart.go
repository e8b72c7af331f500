package kernel

import (
	"errors"
	"fmt"
	"io"
	"slices"
	"strconv"
	"strings"

	"github.com/hotrestart/tamago-hr/actors"
	"github.com/hotrestart/tamago-hr/pmm"
	"github.com/hotrestart/tamago-hr/pmm/record"
)

// Start is one restart group the firmware starts at boot (Config.Autostart):
// `arun -g Group Program Args…` in code.
type Start struct {
	Group   int
	Program string
	Args    []string
	// Policy, optional, is the group's own restart policy, as arun's flags
	// give it (applied after the program's WithPolicy); nil: the program's
	// or the tunables.
	Policy actors.PolicyEdit
}

// The autostart record ("__SYS.autostart", one page, only in images with
// Config.Autostart) lists the entries started on this bank, as "GID
// PROGRAM" lines, so that each starts once per bank: on the cold boot, or
// on the first boot of an image (an upgrade) that adds it.
const (
	autostartBlock   = "__SYS.autostart"
	autostartKey     = "__SYS.kern"
	autostartPayload = 1024
)

var autostartKind = record.Kind{Name: "autostart record", Magic: record.Magic("HRAS"), Version: 1}

// runAutostart starts the Config.Autostart entries this bank has not
// started yet, in order, before the startup script: all of them on a cold
// boot; on a warm boot (site restart, watchdog reset, upgrade) only those
// an upgrade added, since the groups started before come back from the bank
// by themselves — none is started twice, and a group dropped with `akill
// -g` (or that ended) stays so until the next cold boot. An entry whose
// group is already in the bank (the operator's `arun -g`) is not started
// either. Nothing starts in safe mode. Errors name the entry and never stop
// the boot; an entry that failed to start is tried again at the next boot.
func (k *system) runAutostart(out io.Writer) {
	if len(k.autostart) == 0 || k.ctl == nil {
		return
	}
	rec, done, err := loadAutostart(k.bank)
	if err != nil {
		// without the record a warm boot cannot tell an entry it started
		// from a new one: start on a cold boot only
		fmt.Fprintf(out, "autostart: %v: entries start on cold boots only\n", err)
		if !k.cold() {
			return
		}
	}
	if k.start.SafeMode {
		fmt.Fprintln(out, "autostart: not run in safe mode")
		return
	}
	inBank := map[int]bool{}
	for _, g := range k.ctl.Groups() {
		inBank[g.GID] = true
	}
	back := 0
	for _, s := range k.autostart {
		id := autostartID(s)
		switch {
		case slices.Contains(done, id):
			back++
			continue
		case inBank[s.Group]:
			fmt.Fprintf(out, "autostart: group %d %s: not started: group %d is in the bank already\n", s.Group, s.Program, s.Group)
			done = append(done, id)
			continue
		}
		var opts []actors.RunOption
		if s.Policy != nil {
			opts = append(opts, actors.RunPolicy(s.Policy))
		}
		aid, err := k.ctl.Run(s.Group, s.Program, s.Args, opts...)
		if err != nil {
			fmt.Fprintf(out, "autostart: group %d %s: error: %v\n", s.Group, s.Program, err)
			continue
		}
		inBank[s.Group] = true
		done = append(done, id)
		fmt.Fprintf(out, "autostart: group %d %s: aid %d\n", s.Group, s.Program, aid)
	}
	if back > 0 {
		fmt.Fprintf(out, "autostart: %d groups started before come back from the bank\n", back)
	}
	if rec != nil {
		if err := rec.Write([]byte(strings.Join(done, "\n"))); err != nil {
			fmt.Fprintf(out, "autostart: record not kept: %v\n", err)
		}
	}
}

// autostartID names an entry in the record.
func autostartID(s Start) string { return strconv.Itoa(s.Group) + " " + s.Program }

// loadAutostart opens the autostart record, allocating it on a bank that
// has none, and returns the entries it lists.
func loadAutostart(b *pmm.Bank) (*record.Record, []string, error) {
	blk, err := b.AllocateAs(pmm.System, autostartBlock, record.BlockSize(autostartPayload), autostartKey)
	if err != nil {
		return nil, nil, fmt.Errorf("no room for the autostart record: %w", err)
	}
	rec, p, err := record.Load(blk, autostartKind)
	switch {
	case errors.Is(err, record.ErrEmpty):
		return rec, nil, nil
	case err != nil:
		return nil, nil, fmt.Errorf("autostart record: %w", err)
	case len(p) == 0:
		return rec, nil, nil
	}
	return rec, strings.Split(string(p), "\n"), nil
}
