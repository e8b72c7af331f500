package actors

import (
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/hotrestart/tamago-hr/pmm/record"
)

// TestActorRecordPatch: patching the clean flag, generation and lease end
// of an encoded actor record gives the very bytes encoding the new record
// does, whatever the names and arguments before them.
func TestActorRecordPatch(t *testing.T) {
	for _, base := range []actorRec{
		{id: 7, gid: 3, kind: Direct, gen: 1, leaseEnd: 32, name: "member.3.1", program: "member"},
		{id: 0xfffffffe, gid: 255, kind: Indirect, clean: true, gen: 9, leaseEnd: 64, name: "w", program: "worker",
			spawner: "boss.1.1", args: []string{"-n", "", "ünïcode"}},
	} {
		b := base.encode()
		for _, next := range []struct {
			clean    bool
			gen      int
			leaseEnd AID
		}{{false, 2, 32}, {true, 0x01020304, 0xa0b0c0d0}, {false, 1 << 31, 0}, {true, 3, 96}} {
			r := base
			r.clean, r.gen, r.leaseEnd = next.clean, next.gen, next.leaseEnd
			r.patch(b)
			require.Equal(t, r.encode(), b)
			got, err := decodeActor(b)
			require.NoError(t, err)
			require.Equal(t, &r, got)
		}
	}
}

// TestMemberPersistPatched: a member's writes after its first of the boot
// (patched, not encoded) hold exactly what a full encoding would.
func TestMemberPersistPatched(t *testing.T) {
	blk := make([]byte, recordSize)
	c := &Controller{leaseEnd: 32}
	m := &member{id: 5, rec: record.New(blk, kindActor), g: &group{c: c, gid: 4}, kind: Direct,
		name: "svc.4.1", program: "svc", args: []string{"a", "bc"}}
	for i, step := range []func(){
		func() { m.gen++ },
		func() { m.gen++ },
		func() { m.clean = true },
		func() { c.leaseEnd += aidLeaseSize; m.gen++; m.clean = false },
		func() { m.gen-- },
	} {
		step()
		require.NoError(t, m.persist())
		_, payload, err := record.Load(blk, kindActor)
		require.NoError(t, err)
		want := actorRec{id: 5, leaseEnd: c.leaseEnd, gid: 4, kind: Direct, clean: m.clean, gen: m.gen,
			name: "svc.4.1", program: "svc", args: []string{"a", "bc"}}
		require.Equal(t, want.encode(), payload, "write %d", i+1)
	}
}
