package actors_test

import (
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/hotrestart/tamago-hr/actors"
	"github.com/hotrestart/tamago-hr/pmm"
)

// A running group's blocks cannot be freed from outside it: not its
// group-key blocks, not a block one of its actors has mapped. Once the
// group is gone they can.
func TestLiveGroupBlocksAreProtected(t *testing.T) {
	e := newEnv(t)
	e.run(3, "writer")
	e.waitWrote("writer.3.1", 1, 1)
	err := e.ctl.FreeBlock("G-writer.3.1@3")
	assert.ErrorIs(t, err, actors.ErrBlockInUse)
	assert.EqualError(t, err, "actors: block in use: block G-writer.3.1@3 carries the key of group 3, which is running (akill -g 3 frees it)")
	err = e.ctl.FreeBlock("A-writer.3.1")
	assert.EqualError(t, err, "actors: block in use: block A-writer.3.1 is mapped by aid 1 writer.3.1 (group 3)")
	_, err = e.ctl.FreeKey("appkey")
	assert.ErrorIs(t, err, actors.ErrBlockInUse)
	_, _, err = e.bank.Lookup("A-writer.3.1")
	require.NoError(t, err, "refusals free nothing")

	// another group may neither free nor retrieve them; the group itself may
	e.run(4, "cmd")
	e.do("cmd.4.1", func(ctx *actors.Context) (bool, error) {
		assert.ErrorIs(t, ctx.Free("A-writer.3.1"), actors.ErrBlockInUse)
		assert.ErrorIs(t, ctx.Free("G-writer.3.1@3"), actors.ErrBlockInUse)
		_, err := ctx.FreeAll("appkey")
		assert.ErrorIs(t, err, actors.ErrBlockInUse)
		_, err = ctx.Allocate("G-writer.3.1@3", 1, "k")
		assert.ErrorIs(t, err, actors.ErrBlockInUse)
		_, err = ctx.Allocate("A-writer.3.1", 1, "k")
		assert.NoError(t, err, "a site-wide name is shared on purpose")
		return false, nil
	})
	assert.EqualError(t, e.ctl.FreeBlock("A-writer.3.1"), "actors: block in use: block A-writer.3.1 is mapped by aid 1 writer.3.1 (group 3)")

	require.NoError(t, e.ctl.KillGroup(3))
	assert.EqualError(t, e.ctl.FreeBlock("A-writer.3.1"), "actors: block in use: block A-writer.3.1 is mapped by aid 2 cmd.4.1 (group 4)")
	require.NoError(t, e.ctl.KillGroup(4))
	n, err := e.ctl.FreeKey("appkey")
	require.NoError(t, err)
	assert.Equal(t, 1, n)
	assert.ErrorIs(t, e.ctl.FreeBlock("A-writer.3.1"), pmm.ErrNotFound)
}

// The same program in two groups has two group blocks: killing one group
// frees only its own.
func TestGroupBlockNamesArePerGroup(t *testing.T) {
	e := newEnv(t)
	e.run(3, "writer")
	e.run(4, "writer")
	e.waitWrote("writer.3.1", 1, 1)
	e.waitWrote("writer.4.1", 1, 1)
	b3, i3, err := e.bank.Lookup("G-writer.3.1@3")
	require.NoError(t, err)
	assert.Equal(t, actors.GroupKey(3), i3.Key)
	_, i4, err := e.bank.Lookup("G-writer.4.1@4")
	require.NoError(t, err)
	assert.NotEqual(t, i3.FirstPage, i4.FirstPage)
	require.NoError(t, e.ctl.KillGroup(4))
	_, _, err = e.bank.Lookup("G-writer.4.1@4")
	assert.ErrorIs(t, err, pmm.ErrNotFound)
	assert.Equal(t, byte(1), b3[0], "group 3's block untouched")

	e.run(5, "cmd")
	e.do("cmd.5.1", func(ctx *actors.Context) (bool, error) {
		_, err := ctx.AllocateGroup("N123456789012345678901234567890123456789012345", 1)
		assert.ErrorIs(t, err, pmm.ErrBadName, "no room for the @gid suffix")
		return false, nil
	})
}

// A block named like a group block but made by someone else (the console's
// `pmm alloc NAME@GID`) is refused by AllocateGroup and Load, never
// adopted: it would outlive the group, and its bytes are not the group's.
func TestForeignGroupBlockRefused(t *testing.T) {
	e := newEnv(t)
	_, err := e.bank.Allocate("ODO@5", 100, "console")
	require.NoError(t, err)
	e.run(5, "cmd")
	e.do("cmd.5.1", func(ctx *actors.Context) (bool, error) {
		_, err := ctx.AllocateGroup("ODO", 8)
		assert.EqualError(t, err, `actors: block in use: block ODO@5 has key "console", not group 5's (pmm free ODO@5 lets the group allocate it)`)
		_, err = actors.Load[uint64](ctx, "ODO")
		assert.ErrorIs(t, err, actors.ErrBlockInUse)
		return false, nil
	})
	require.NoError(t, e.ctl.FreeBlock("ODO@5"))
	e.do("cmd.5.1", func(ctx *actors.Context) (bool, error) {
		st, err := actors.Load[uint64](ctx, "ODO")
		require.NoError(t, err)
		assert.Equal(t, uint64(0), st.Get())
		return false, nil
	})
}

// An ordinary actor has no group blocks, and its site-wide blocks are
// protected only while it runs.
func TestOrdinaryActorBlocks(t *testing.T) {
	e := newEnv(t)
	aid := e.run(-1, "cmd")
	e.do("cmd", func(ctx *actors.Context) (bool, error) {
		_, err := ctx.AllocateGroup("x", 1)
		assert.ErrorIs(t, err, actors.ErrNotRestartable)
		_, err = ctx.Allocate("ORD", 1, "k")
		assert.NoError(t, err)
		return false, nil
	})
	assert.EqualError(t, e.ctl.FreeBlock("ORD"), "actors: block in use: block ORD is mapped by aid 1 cmd (ordinary actor)")
	require.NoError(t, e.ctl.Kill(aid))
	e.waitFor(func() bool { return len(e.ctl.Actors()) == 0 }, "ordinary actor ended")
	assert.NoError(t, e.ctl.FreeBlock("ORD"))
}

// The ChorusOS calls: hrGetActorGroup, hrKillGroup (another group, and its
// own), a site restart request with a reason.
func TestContextHotRestartCalls(t *testing.T) {
	e := newEnv(t)
	w := e.run(2, "wait")
	o := e.run(-1, "wait")
	e.run(1, "cmd")
	e.do("cmd.1.1", func(ctx *actors.Context) (bool, error) {
		g, err := ctx.ActorGroup(w)
		assert.NoError(t, err)
		assert.Equal(t, 2, g)
		g, err = ctx.ActorGroup(ctx.AID())
		assert.NoError(t, err)
		assert.Equal(t, 1, g)
		_, err = ctx.ActorGroup(o)
		assert.ErrorIs(t, err, actors.ErrNotRestartable)
		_, err = ctx.ActorGroup(999)
		assert.ErrorIs(t, err, actors.ErrNoActor)
		assert.NoError(t, ctx.KillGroup(2))
		assert.NoError(t, ctx.RequestSiteRestart("checksum mismatch in my tables"))
		return false, nil
	})
	_, ok := e.group(2)
	assert.False(t, ok, "group 2 killed")
	require.Equal(t, 1, e.sites.len())
	assert.Equal(t, actors.SiteRestartRequest{Group: 1, Actor: "cmd.1.1", AID: 3,
		Reason: "requested by aid 3 cmd.1.1: checksum mismatch in my tables", Kind: actors.SiteRequested}, e.sites.all()[0])

	e.do("cmd.1.1", func(ctx *actors.Context) (bool, error) {
		assert.NoError(t, ctx.KillGroup(1))
		<-ctx.Done()
		assert.ErrorIs(t, ctx.RequestSiteRestart("late"), actors.ErrStopped)
		return true, actors.ErrStopped
	})
	assert.Equal(t, actors.Event{Kind: actors.EventGroupKilled, At: e.uptime(), GID: 1, Members: 1, Blocks: 2},
		e.waitEvent(actors.EventGroupKilled, 1))
	assert.Empty(t, e.ctl.Groups())
	assert.Equal(t, 1, e.sites.len())
}
