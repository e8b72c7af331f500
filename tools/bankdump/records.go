package main

import (
	"bytes"
	"errors"
	"fmt"
	"io"
	"strings"
	"text/tabwriter"

	"golang.org/x/crypto/ssh"

	"github.com/hotrestart/tamago-hr/actors"
	"github.com/hotrestart/tamago-hr/kernel/bootrec"
	"github.com/hotrestart/tamago-hr/kernel/crashlog"
	"github.com/hotrestart/tamago-hr/kernel/netconsole"
	"github.com/hotrestart/tamago-hr/kernel/upgrade"
	"github.com/hotrestart/tamago-hr/kernel/wallclock"
	"github.com/hotrestart/tamago-hr/pmm"
	"github.com/hotrestart/tamago-hr/pmm/record"
)

// describeAll prints one line per block whose name is a known record kind.
func describeAll(b *pmm.Bank, out io.Writer) error {
	tw := tabwriter.NewWriter(out, 0, 0, 2, ' ', 0)
	fmt.Fprintln(tw, "RECORD\tDECODED")
	for _, bi := range b.Blocks() {
		blk, _, err := b.Lookup(bi.Name)
		if err != nil {
			return err
		}
		if d, ok := describe(bi.Name, blk); ok {
			fmt.Fprintf(tw, "%s\t%s\n", bi.Name, d)
		}
	}
	return tw.Flush()
}

// describe decodes the block called name when it is a record the firmware
// writes; ok is false for any other block.
func describe(name string, blk []byte) (string, bool) {
	switch name {
	case bootrec.BlockName:
		return bootRecord(blk), true
	case crashlog.BlockName:
		return crashLog(blk), true
	case upgrade.BlockName:
		return upgradeState(blk), true
	case upgrade.SecurityBlock:
		return securityFloor(blk), true
	case wallclock.BlockName:
		return clockCorrection(blk), true
	case netconsole.HostKeyBlock:
		pub, err := netconsole.StoredHostKey(blk)
		if err != nil {
			return err.Error(), true
		}
		return "ssh host key: present, " + pub.Type() + " " + ssh.FingerprintSHA256(pub), true
	}
	return actors.DescribeRecord(name, blk)
}

func clockCorrection(blk []byte) string {
	_, p, err := record.Load(blk, wallclock.Kind)
	if err != nil {
		return err.Error()
	}
	d, err := wallclock.Unmarshal(p)
	if err != nil {
		return err.Error()
	}
	return "clock correction: " + wallclock.FormatDelta(d)
}

func upgradeState(blk []byte) string {
	rec, p, err := record.Load(blk, upgrade.Kind)
	if err != nil {
		return err.Error()
	}
	s, err := upgrade.UnmarshalState(p)
	if err != nil {
		return err.Error()
	}
	return fmt.Sprintf("%s: %s, trial from %d ms, %d automatic site restarts", rec, s, s.StartMs, s.Restarts)
}

func securityFloor(blk []byte) string {
	rec, p, err := record.Load(blk, upgrade.SecurityKind)
	if err != nil {
		return err.Error()
	}
	v, err := upgrade.UnmarshalFloor(p)
	if err != nil {
		return err.Error()
	}
	return fmt.Sprintf("%s: lowest security version accepted %d", rec, v)
}

func bootRecord(blk []byte) string {
	r, err := bootrec.Decode(blk)
	if err != nil {
		return err.Error()
	}
	var flags []string
	for _, f := range []struct {
		on   bool
		name string
	}{{r.Pending, "pending"}, {r.Site, "site restart"}, {r.SafeMode, "safe mode"}} {
		if f.on {
			flags = append(flags, f.name)
		}
	}
	s := fmt.Sprintf("boot record: boots %d, site restarts %d (hot %d, warm %d, watchdog %d), clock %d ms, last path %s",
		r.Boots, r.SiteRestarts, r.HotReboots, r.WarmResets, r.Watchdogs, r.ClockMs, r.Path)
	if len(flags) > 0 {
		s += ", " + strings.Join(flags, ", ")
	}
	if r.Intent != "" {
		s += fmt.Sprintf(", intent %q", r.Intent)
	}
	return s
}

func crashLog(blk []byte) string {
	log, ok := crashlog.Read(blk)
	if !ok {
		return "crash log: none"
	}
	lines := bytes.Split(bytes.TrimRight(log.Text, "\r\n"), []byte("\n"))
	last := strings.TrimRight(string(lines[len(lines)-1]), "\r")
	return fmt.Sprintf("crash log: %d bytes (-log prints them), last line %q", len(log.Text), last)
}

func printLog(b *pmm.Bank, out io.Writer) error {
	blk, _, err := b.Lookup(crashlog.BlockName)
	if err != nil {
		return err
	}
	log, ok := crashlog.Read(blk)
	if !ok {
		return errors.New("block " + crashlog.BlockName + " holds no crash log")
	}
	_, err = out.Write(log.Text)
	return err
}
