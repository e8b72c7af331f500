package actors

import (
	"fmt"
	"strings"

	"github.com/hotrestart/tamago-hr/pmm/record"
)

// DescribeRecord decodes one of the controller's record blocks (the
// controller record, a group record or an actor record, chosen by the
// block's name) into one line for tools that read bank images
// (tools/bankdump). ok is false when name is not a controller record's. A
// record that is not trusted is described by why.
func DescribeRecord(name string, blk []byte) (desc string, ok bool) {
	var k record.Kind
	switch {
	case name == ctlName:
		k = kindCtl
	case strings.HasPrefix(name, groupPrefix):
		k = kindGroup
	case strings.HasPrefix(name, actorPrefix):
		k = kindActor
	default:
		return "", false
	}
	rec, p, err := record.Load(blk, k)
	if err != nil {
		return err.Error(), true
	}
	var body string
	switch k {
	case kindCtl:
		var r ctlRec
		if r, err = decodeCtl(p); err == nil {
			body = fmt.Sprintf("aid lease end %d", r.leaseEnd)
		}
	case kindGroup:
		var r groupRec
		if r, err = decodeGroup(p); err == nil {
			body = fmt.Sprintf("group %d, restarts %d, badness %d, killed %t", r.gid, r.restarts, r.badness, r.killed)
		}
	default:
		var r *actorRec
		if r, err = decodeActor(p); err == nil {
			body = fmt.Sprintf("%s (%s, group %d, registered as aid %d): program %s %q, gen %d, clean %t",
				r.name, r.kind, r.gid, r.id, r.program, r.args, r.gen, r.clean)
			if r.spawner != "" {
				body += ", spawned by " + r.spawner
			}
		}
	}
	if err != nil {
		return fmt.Sprintf("%s: payload not decodable: %v", rec, err), true
	}
	if note := rec.Note(); note != "" {
		body += " (" + note + ")"
	}
	return fmt.Sprintf("%s: %s", rec, body), true
}

// DescribeLoss says what the controller does at boot when the block name
// (one of its records) is missing from the bank, e.g. because pmm
// quarantined its damaged table record. ok is false when name is not a
// controller record's.
func DescribeLoss(name string) (what string, ok bool) {
	switch {
	case name == ctlName:
		return "controller record: aids continue above the highest group or actor record", true
	case strings.HasPrefix(name, groupPrefix):
		return fmt.Sprintf("group %s's record: its restart and badness counters start from 0", strings.TrimPrefix(name, groupPrefix)), true
	case strings.HasPrefix(name, actorPrefix):
		return fmt.Sprintf("actor record %s: that member is not restarted with its group (the group's other members and its blocks are kept)", strings.TrimPrefix(name, actorPrefix)), true
	}
	return "", false
}
