package actors_test

import (
	"bytes"
	"encoding/binary"
	"hash/crc32"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/hotrestart/tamago-hr/actors"
	"github.com/hotrestart/tamago-hr/pmm"
)

// A site restart: the kernel stops everything, reboots warm, opens the bank
// and the controller on the same memory and resumes: every group comes
// back, its direct actors with new (higher) aids and the next generation,
// its indirect actors re-spawned by them, its blocks intact.
func TestResumeAfterSiteRestart(t *testing.T) {
	e := newEnv(t)
	p1 := e.run(0, "parent", "always", "kid", "writer")
	k1 := e.waitRunning("kid", 1)
	w1 := e.run(0, "writer")
	o1 := e.run(1, "wait", "x")
	e.run(-1, "wait") // ordinary: gone for good after the restart
	e.waitWrote("kid", 1, 1)
	e.waitWrote("writer.0.1", 1, 1)
	require.NoError(t, e.ctl.Kill(o1)) // group 1: one restart before the site restart
	o2 := e.waitRunning("wait.1.1", 2)
	blocks := e.bank.Blocks()

	e.reboot()
	assert.Equal(t, blocks, e.bank.Blocks(), "New changes nothing in a consistent bank")
	for _, a := range e.ctl.Actors() {
		assert.Zero(t, a.AID, "%s: nothing runs before Resume", a.Name)
		assert.Equal(t, actors.StateStopped, a.State, a.Name)
	}
	g0, _ := e.group(0)
	assert.Equal(t, actors.GroupHeld, g0.State)
	assert.Equal(t, 3, g0.Members)
	g1, _ := e.group(1)
	assert.Equal(t, 1, g1.Restarts, "counters are persistent")
	_, err := e.ctl.Run(0, "wait", nil)
	assert.ErrorIs(t, err, actors.ErrGroupBusy, "a held group takes no member")
	assert.ErrorIs(t, e.ctl.Kill(p1), actors.ErrStaleAID)
	e.waitLog("hr: group 0: members 3 (direct 2), restarts 0, badness 0")

	n, err := e.ctl.Resume()
	require.NoError(t, err)
	assert.Equal(t, 2, n)
	p2 := e.waitRunning("parent.0.1", 2)
	k2 := e.waitRunning("kid", 2)
	w2 := e.waitRunning("writer.0.1", 2)
	o3 := e.waitRunning("wait.1.1", 3)
	for _, a := range []actors.AID{p2, k2, w2, o3} {
		for _, old := range []actors.AID{p1, k1, w1, o1, o2} {
			assert.Greater(t, a, old, "aids keep growing across site restarts")
		}
	}
	assert.Equal(t, []string{"x"}, e.actor("wait.1.1").Args)
	e.waitWrote("kid", 2, 2) // the writers found their blocks
	e.waitWrote("writer.0.1", 2, 2)
	assert.Len(t, e.ctl.Actors(), 4, "the ordinary actor is not brought back")

	n, err = e.ctl.Resume()
	require.NoError(t, err)
	assert.Zero(t, n, "a second Resume starts nothing")
}

// `resume GID` before Resume (safe mode: every reopened group waits, shown
// held) starts that one group alone; Resume later starts only the others.
func TestResumeGroupBeforeResumeStartsItAlone(t *testing.T) {
	e := newEnv(t)
	e.run(1, "wait")
	e.run(2, "wait")
	e.waitRunning("wait.1.1", 1)
	e.waitRunning("wait.2.1", 1)

	e.reboot()
	require.NoError(t, e.ctl.ResumeGroup(2))
	e.waitRunning("wait.2.1", 2)
	g1, _ := e.group(1)
	assert.Equal(t, actors.GroupHeld, g1.State, "the other group keeps waiting")
	g2, _ := e.group(2)
	assert.Equal(t, actors.GroupRunning, g2.State)
	assert.Equal(t, 1, g2.Restarts, "a start from the bank counts as a restart, as Resume's")
	assert.ErrorIs(t, e.ctl.ResumeGroup(2), actors.ErrGroupBusy, "running: nothing to resume")

	n, err := e.ctl.Resume()
	require.NoError(t, err)
	assert.Equal(t, 1, n, "Resume starts only the group still waiting")
	e.waitRunning("wait.1.1", 2)
	assert.Len(t, e.ctl.Actors(), 2)
}

// A group whose program is no longer in the image cannot resume; Resume
// says so and the group stays registered for akill -g.
func TestResumeWithMissingProgram(t *testing.T) {
	e := newEnv(t)
	e.run(0, "wait")
	e.run(1, "wait")
	e.reboot()
	progs := &actors.Programs{}
	require.NoError(t, progs.Register("cmd", func(*actors.Context) error { return nil }, ""))
	e.progs = progs
	e.open()
	n, err := e.ctl.Resume()
	assert.Zero(t, n)
	assert.ErrorIs(t, err, actors.ErrNoProgram)
	assert.Equal(t, actors.StateFailed, e.actor("wait.0.1").State)
	assert.Contains(t, e.actor("wait.0.1").Note, "no such program")
	require.NoError(t, e.ctl.KillGroup(0))
	require.NoError(t, e.ctl.KillGroup(1))
	assert.Len(t, e.bank.Blocks(), 1)
}

// recordCopies returns the two copies of a record block and their sequence
// numbers (0 for an invalid copy is fine: the test only compares).
func recordCopies(t *testing.T, b *pmm.Bank, name string) (blk []byte, newest, oldest []byte) {
	blk, _, err := b.Lookup(name)
	require.NoError(t, err)
	c0, c1 := blk[:pmm.PageSize/2], blk[pmm.PageSize/2:pmm.PageSize]
	if int32(binary.LittleEndian.Uint32(c1[8:])-binary.LittleEndian.Uint32(c0[8:])) > 0 {
		return blk, c1, c0
	}
	return blk, c0, c1
}

// A write cut short by a reset leaves the newest copy invalid: the previous
// version is used and the fact reported.
func TestTornRecordFallsBackToPreviousVersion(t *testing.T) {
	e := newEnv(t)
	a := e.run(0, "wait")
	require.NoError(t, e.ctl.Kill(a))
	e.waitRunning("wait.0.1", 2)
	require.NoError(t, e.shutdown())
	_, newest, _ := recordCopies(t, e.bank, "__SYS.hr.a1")
	newest[20] ^= 0xff // the generation-2 write, torn
	e.open()
	e.waitLog("hr: group 0: record of wait.0.1: copy B invalid (CRC mismatch), copy A used")
	assert.Equal(t, 1, e.actor("wait.0.1").Gen, "the previous version")
	_, err := e.ctl.Resume()
	require.NoError(t, err)
	e.waitRunning("wait.0.1", 2)
}

// A record with no valid copy is reported and never trusted: the member is
// kept as corrupt, never run, and freed with its group.
func TestCorruptRecordIsNotTrusted(t *testing.T) {
	e := newEnv(t)
	e.run(0, "wait")
	e.run(0, "wait")
	require.NoError(t, e.shutdown())
	_, newest, oldest := recordCopies(t, e.bank, "__SYS.hr.a2")
	newest[13] ^= 1
	oldest[0] = 0x55
	e.open()
	e.waitLog("hr: group 0: record __SYS.hr.a2 not trusted (actor record: no valid copy: ")
	bad := e.actor("__SYS.hr.a2")
	assert.Equal(t, actors.StateCorrupt, bad.State)
	assert.NotEmpty(t, bad.Note)
	n, err := e.ctl.Resume()
	require.NoError(t, err)
	assert.Equal(t, 1, n)
	e.waitRunning("wait.0.1", 2)
	assert.Equal(t, actors.StateCorrupt, e.actor("__SYS.hr.a2").State)
	assert.Len(t, e.ctl.Actors(), 2)

	// the corrupt member counts against maxActors and blocks termination;
	// akill -g frees it
	require.NoError(t, e.ctl.KillGroup(0))
	assert.Equal(t, []string{"__SYS.hr.ctl __SYS.hr.ctl"}, blockNames(e.bank))
}

// A reset between the allocation of a record and its first write leaves a
// zeroed record: New frees it (and the then empty group), and aids go on
// above it.
func TestInterruptedRegistrationIsFreed(t *testing.T) {
	e := newEnv(t)
	e.run(1, "wait")
	require.NoError(t, e.shutdown())
	_, err := e.bank.AllocateAs(pmm.System, "__SYS.hr.g3", pmm.PageSize, "__SYS.hr.g3")
	require.NoError(t, err)
	_, err = e.bank.AllocateAs(pmm.System, "__SYS.hr.a500", pmm.PageSize, "__SYS.hr.g3")
	require.NoError(t, err)
	_, err = e.bank.AllocateAs(pmm.System, "__SYS.hr.a501", pmm.PageSize, "__SYS.hr.g1")
	require.NoError(t, err)
	e.open()
	e.waitLog("hr: group 3: record __SYS.hr.a500 was never written (a registration was interrupted): freed")
	e.waitLog("hr: group 3 has no member (a registration was interrupted): 1 blocks freed")
	e.waitLog("hr: group 1: record __SYS.hr.a501 was never written")
	assert.ElementsMatch(t, []string{"__SYS.hr.ctl __SYS.hr.ctl", "__SYS.hr.g1 __SYS.hr.g1", "__SYS.hr.a1 __SYS.hr.g1"}, blockNames(e.bank))
	assert.Greater(t, e.run(2, "wait"), actors.AID(501))
}

// A group whose members had all exited cleanly, but whose blocks a reset
// kept from being freed, terminates at New.
func TestAllCleanGroupTerminatesAtNew(t *testing.T) {
	e := newEnv(t)
	e.run(0, "cmd")
	e.do("cmd.0.1", func(ctx *actors.Context) (bool, error) {
		_, err := ctx.AllocateGroup("GB", 1)
		require.NoError(t, err)
		return false, nil
	})
	// snapshot the bank as it is while the member runs, then let it exit
	// cleanly and put the snapshot's records back with the clean flag: the
	// state a reset between the record write and the SysFreeAll leaves.
	snap := append([]byte(nil), e.mem...)
	e.do("cmd.0.1", func(ctx *actors.Context) (bool, error) { return true, ctx.Exit() })
	e.waitEvent(actors.EventGroupTerminated, 0)
	require.NoError(t, e.shutdown())
	copy(e.mem, snap)
	bank, _, err := pmm.Open(e.mem, e.geo)
	require.NoError(t, err)
	blk, _, err := bank.Lookup("__SYS.hr.a1")
	require.NoError(t, err)
	markClean(t, blk)
	e.open()
	e.waitLog("hr: group 0: every member had exited cleanly: terminated, 3 blocks freed")
	assert.Equal(t, []string{"__SYS.hr.ctl __SYS.hr.ctl"}, blockNames(e.bank))
}

// markClean rewrites the newest copy of an actor record with its clean
// flag set (offset 7 of the payload), CRC included.
func markClean(t *testing.T, blk []byte) {
	c0, c1 := blk[:pmm.PageSize/2], blk[pmm.PageSize/2:pmm.PageSize]
	c := c0
	if int32(binary.LittleEndian.Uint32(c1[8:])-binary.LittleEndian.Uint32(c0[8:])) > 0 {
		c = c1
	}
	n := int(binary.LittleEndian.Uint16(c[6:]))
	require.Equal(t, byte(0), c[12+7])
	c[12+7] = 1
	binary.LittleEndian.PutUint32(c[12+n:], crc32c(c[:12+n]))
}

func crc32c(p []byte) uint32 { return crc32.Checksum(p, crc32.MakeTable(crc32.Castagnoli)) }

// The clean flag an exiting actor gets through the real exit path (its
// program returns ctx.Exit()) is in its record: after a site restart the
// member is still known to have exited cleanly.
func TestCleanExitIsPersisted(t *testing.T) {
	e := newEnv(t)
	e.run(0, "cmd")
	e.run(0, "wait")
	e.do("cmd.0.1", func(ctx *actors.Context) (bool, error) { return true, ctx.Exit() })
	e.waitFor(func() bool { return e.actor("cmd.0.1").State == actors.StateExited }, "clean")
	e.reboot()
	assert.Equal(t, actors.StateExited, e.actor("cmd.0.1").State)
	assert.Equal(t, actors.StateStopped, e.actor("wait.0.1").State)
}

// A group restart clears the clean flag of indirect actors too, in memory
// and in their records: the spawner must spawn them again.
func TestGroupRestartClearsIndirectCleanFlags(t *testing.T) {
	e := newEnv(t)
	p := e.run(0, "parent", "once", "kid", "quit")
	e.waitFor(func() bool { return e.actor("kid").State == actors.StateExited }, "kid exited cleanly")
	require.NoError(t, e.ctl.Kill(p))
	e.waitRunning("parent.0.1", 2)
	assert.Equal(t, actors.StateBlocked, e.actor("kid").State)
	e.reboot()
	assert.Equal(t, actors.StateStopped, e.actor("kid").State, "the cleared flag is in the record (a clean one shows exited-clean)")
}

// Aids are never handed out twice, even when the controller record (the
// aid lease) is lost: every record carries the lease end of its last write.
func TestAIDsNeverReusedWhenControllerRecordIsLost(t *testing.T) {
	e := newEnv(t)
	aid := e.run(0, "wait")
	for gen := 2; gen <= 4; gen++ {
		require.NoError(t, e.ctl.Kill(aid))
		aid = e.waitRunning("wait.0.1", gen)
	}
	require.NoError(t, e.shutdown())
	blk, _, err := e.bank.Lookup("__SYS.hr.ctl")
	require.NoError(t, err)
	for i := range blk {
		blk[i] = 0xa5 // both copies unreadable
	}
	e.open()
	e.waitLog("controller record __SYS.hr.ctl: controller record: no valid copy")
	_, err = e.ctl.Resume()
	require.NoError(t, err)
	next := e.waitRunning("wait.0.1", 5)
	assert.Greater(t, next, aid)
	o := e.run(-1, "wait")
	assert.Greater(t, o, next)
}

// bankdump's view of the controller's records: one line per record, by
// block name.
func TestDescribeRecords(t *testing.T) {
	e := newEnv(t)
	e.run(2, "wait", "a b", "c")
	require.NoError(t, e.shutdown())
	desc := func(name string) string {
		blk, _, err := e.bank.Lookup(name)
		require.NoError(t, err)
		d, ok := actors.DescribeRecord(name, blk)
		require.True(t, ok)
		return d
	}
	assert.Equal(t, "controller record v1, seq 1 in copy A: aid lease end 33", desc("__SYS.hr.ctl"))
	assert.Equal(t, "group record v1, seq 1 in copy A: group 2, restarts 0, badness 0, killed false", desc("__SYS.hr.g2"))
	assert.Equal(t, `actor record v1, seq 1 in copy A: wait.2.1 (direct, group 2, registered as aid 1): program wait ["a b" "c"], gen 1, clean false`, desc("__SYS.hr.a1"))

	blk, _, err := e.bank.Lookup("__SYS.hr.a1")
	require.NoError(t, err)
	blk[20] ^= 1
	assert.Equal(t, "actor record: no valid copy: copy A: CRC mismatch; copy B: never written", desc("__SYS.hr.a1"))
	_, ok := actors.DescribeRecord("PM1", blk)
	assert.False(t, ok)
}

// A group whose only member's record was quarantined (damaged in the bank)
// has no member left; its blocks are kept, not freed as after an
// interrupted registration, and the program run again in the group adopts
// them.
func TestGroupOfAQuarantinedMemberIsKept(t *testing.T) {
	e := newEnv(t)
	e.run(3, "writer")
	e.waitWrote("writer.3.1", 1, 1)
	require.NoError(t, e.shutdown())
	_, info, err := e.bank.Lookup("__SYS.hr.a1")
	require.NoError(t, err)
	// the record's checksum, in the table after the journal (pmm/doc.go)
	l := bytes.LastIndex(e.mem[:pmm.PageSize], []byte("\x00__SYS.hr.a1\x00"))
	require.Positive(t, l)
	e.mem[l+1-16+92] ^= 1
	e.open()
	require.Len(t, e.bank.Quarantined(), 1)
	assert.Equal(t, info.FirstPage, e.bank.Quarantined()[0].FirstPage)
	e.waitLog("hr: group 3 has no member, and the bank quarantined 1 damaged records (one may be its member's): its blocks are kept")
	assert.Contains(t, blockNames(e.bank), "G-writer.3.1@3 __SYS.hr.g3")
	e.run(3, "writer")
	e.waitWrote("writer.3.1", 2, 2) // the group block adopted, not a new one
}
