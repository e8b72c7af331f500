package actors_test

import (
	"context"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/hotrestart/tamago-hr/actors"
	"github.com/hotrestart/tamago-hr/pmm"
)

type meter struct {
	Count uint64
	Last  [4]int32
	OK    bool
}

// gauge has meter's Count as a float: a kind no migration converts to.
type gauge struct {
	Count float32
	Last  [4]int32
	OK    bool
}

// loadMeter loads METER in the cmd actor name and returns its value.
func (e *env) loadMeter(name string) (got meter) {
	e.t.Helper()
	e.do(name, func(ctx *actors.Context) (bool, error) {
		st, err := actors.Load[meter](ctx, "METER")
		require.NoError(e.t, err)
		got = st.Get()
		return false, nil
	})
	return got
}

// commitMeter loads METER in the cmd actor name and commits v.
func (e *env) commitMeter(name string, v meter) {
	e.t.Helper()
	e.do(name, func(ctx *actors.Context) (bool, error) {
		st, err := actors.Load[meter](ctx, "METER")
		require.NoError(e.t, err)
		require.NoError(e.t, st.Commit(v))
		assert.Equal(e.t, v, st.Get())
		return false, nil
	})
}

// A state starts at the zero value, and what was committed is what Load
// returns after a group restart and after a site restart; the group's end
// frees it.
func TestPersistentSurvivesRestarts(t *testing.T) {
	e := newEnv(t)
	aid := e.run(3, "cmd")
	e.do("cmd.3.1", func(ctx *actors.Context) (bool, error) {
		st, err := actors.Load[meter](ctx, "METER")
		require.NoError(t, err)
		assert.Equal(t, meter{}, st.Get(), "a new block holds the zero value")
		assert.Equal(t, "METER@3", st.Name())
		return false, nil
	})
	_, info, err := e.bank.Lookup("METER@3")
	require.NoError(t, err)
	assert.Equal(t, actors.GroupKey(3), info.Key)
	assert.Equal(t, 1, info.Pages, "one page")

	v1 := meter{Count: 1, Last: [4]int32{-1, 2, -3, 4}, OK: true}
	e.commitMeter("cmd.3.1", v1)
	require.NoError(t, e.ctl.Kill(aid))
	e.waitRunning("cmd.3.1", 2)
	assert.Equal(t, v1, e.loadMeter("cmd.3.1"), "after a group restart")

	v2 := meter{Count: 2, Last: [4]int32{5}}
	e.commitMeter("cmd.3.1", v2)
	e.reboot()
	_, err = e.ctl.Resume()
	require.NoError(t, err)
	e.waitRunning("cmd.3.1", 3)
	assert.Equal(t, v2, e.loadMeter("cmd.3.1"), "after a site restart")

	require.NoError(t, e.ctl.KillGroup(3))
	_, _, err = e.bank.Lookup("METER@3")
	assert.ErrorIs(t, err, pmm.ErrNotFound, "freed with the group")
}

// Loading a block as a type its value cannot migrate to, or a block that
// holds no state, is an error that says so, and the block is left as it
// was.
func TestPersistentWrongTypeIsRefused(t *testing.T) {
	e := newEnv(t)
	e.run(2, "cmd")
	e.commitMeter("cmd.2.1", meter{Count: 7})
	refused := func(ctx *actors.Context) {
		_, err := actors.Load[gauge](ctx, "METER")
		assert.ErrorIs(t, err, actors.ErrStateMismatch)
		assert.EqualError(t, err, "actors: state of another type: state METER@2 (layout d9678de1, 25 bytes) "+
			"cannot become actors_test.gauge (layout 8dc29a94, 21 bytes): Count: uint64 → float32 cannot be migrated")
		_, err = actors.Load[uint64](ctx, "METER")
		assert.ErrorIs(t, err, actors.ErrStateMismatch)
		assert.EqualError(t, err, "actors: state of another type: state METER@2 (layout d9678de1, 25 bytes) "+
			"cannot become uint64 (layout c8bbe3c2, 8 bytes): the value: struct{Count uint64; Last [4]int32; OK bool} → uint64 cannot be migrated")
	}
	e.do("cmd.2.1", func(ctx *actors.Context) (bool, error) {
		_, err := actors.Load[gauge](ctx, "METER")
		assert.EqualError(t, err, "actors: state of another type: state METER@2 holds state of another type "+
			"(layout d9678de1, 25 bytes), not actors_test.gauge (layout 8dc29a94, 21 bytes)", "loaded as meter in this boot")

		raw, err := ctx.AllocateGroup("RAW", 64)
		require.NoError(t, err)
		copy(raw, "bulk") // as short as a cut first commit could leave
		_, err = actors.Load[meter](ctx, "RAW")
		assert.ErrorIs(t, err, actors.ErrStateCorrupt)
		assert.EqualError(t, err, `actors: no valid state: state RAW@2: no valid copy: copy A: magic "bulk", want "RHS1"; copy B: never written`)
		assert.Equal(t, "bulk\x00", string(raw[:5]), "left as it was")
		return false, nil
	})
	assert.Equal(t, meter{Count: 7}, e.loadMeter("cmd.2.1"))

	// read from the bank by the next boot's controller: migration refused
	e.reboot()
	_, err := e.ctl.Resume()
	require.NoError(t, err)
	e.waitRunning("cmd.2.1", 2)
	e.do("cmd.2.1", func(ctx *actors.Context) (bool, error) {
		refused(ctx)
		return false, nil
	})
	g, ok := e.group(2)
	require.True(t, ok)
	assert.Contains(t, g.StateError, "uint64 (layout c8bbe3c2, 8 bytes): the value: struct", "the last failed Load, for the upgrade's trial")
	assert.Equal(t, meter{Count: 7}, e.loadMeter("cmd.2.1"), "refusals change nothing")
	g, _ = e.group(2)
	assert.Empty(t, g.StateError, "a Load of the block that works clears it")
}

// meterV2 is meter's next version: Count renamed Total and widened from
// nothing (same kind), Last shortened to two, OK dropped, Trips added.
type meterV2 struct {
	Trips uint32
	Total uint64 `hr:"was=Count"`
	Last  [2]int64
}

// A state loaded by the next boot as a changed type is migrated by field
// name, committed, and logged once; the old type loads it back.
func TestPersistentMigratesAcrossBoots(t *testing.T) {
	e := newEnv(t)
	e.run(2, "cmd")
	e.commitMeter("cmd.2.1", meter{Count: 7, Last: [4]int32{-1, 2, 3, 4}}) // OK false: dropped beside Trips added, it holds no value
	e.reboot()
	_, err := e.ctl.Resume()
	require.NoError(t, err)
	e.waitRunning("cmd.2.1", 2)
	v2 := meterV2{Total: 7, Last: [2]int64{-1, 2}}
	e.do("cmd.2.1", func(ctx *actors.Context) (bool, error) {
		st, err := actors.Load[meterV2](ctx, "METER")
		require.NoError(t, err)
		assert.Equal(t, v2, st.Get())
		return false, nil
	})
	e.waitLog("hr: state METER@2: migrated from layout d9678de1, 25 bytes to actors_test.meterV2 " +
		"(layout d98dbd13, 28 bytes): renamed Count → Total; dropped OK, Last[2:4]; added Trips")

	// the next boot loads the migrated value with no migration
	e.reboot()
	_, err = e.ctl.Resume()
	require.NoError(t, err)
	e.waitRunning("cmd.2.1", 3)
	e.do("cmd.2.1", func(ctx *actors.Context) (bool, error) {
		st, err := actors.Load[meterV2](ctx, "METER")
		require.NoError(t, err)
		assert.Equal(t, v2, st.Get())
		// Trips stays 0: a value in it, dropped while OK comes back, would
		// refuse the way back (TestMigrateRefusesALostValue)
		require.NoError(t, st.Commit(meterV2{Total: 8, Last: [2]int64{5, -6}}))
		return false, nil
	})
	n := 0
	for _, l := range e.logs.all() {
		if strings.Contains(l, "migrated") {
			n++
		}
	}
	assert.Equal(t, 1, n, "one migration logged")

	// and the old type takes it back, by the same rules
	e.reboot()
	_, err = e.ctl.Resume()
	require.NoError(t, err)
	e.waitRunning("cmd.2.1", 4)
	assert.Equal(t, meter{Count: 8, Last: [4]int32{5, -6}}, e.loadMeter("cmd.2.1"))
}

// Types that cannot live in the bank are refused by name, before any block
// is allocated; state is for restartable actors only.
func TestPersistentTypeChecks(t *testing.T) {
	e := newEnv(t)
	e.run(1, "cmd")
	type withPtr struct {
		N uint32
		P *uint32
	}
	//lint:ignore U1000 the unexported field is what Load must refuse
	type hidden struct{ n uint32 }
	type padded struct {
		A uint8
		_ [3]byte
		B uint32
	}
	e.do("cmd.1.1", func(ctx *actors.Context) (bool, error) {
		for _, c := range []struct {
			load func() error
			want string
		}{
			{func() error { _, err := actors.Load[*uint32](ctx, "X"); return err }, "*uint32 is a ptr"},
			{func() error { _, err := actors.Load[[]byte](ctx, "X"); return err }, "[]uint8 is a slice"},
			{func() error { _, err := actors.Load[string](ctx, "X"); return err }, "string is a string"},
			{func() error { _, err := actors.Load[map[uint8]uint8](ctx, "X"); return err }, "map[uint8]uint8 is a map"},
			{func() error { _, err := actors.Load[any](ctx, "X"); return err }, "interface {} is a interface"},
			{func() error { _, err := actors.Load[chan int32](ctx, "X"); return err }, "chan int32 is a chan"},
			{func() error { _, err := actors.Load[func()](ctx, "X"); return err }, "func() is a func"},
			{func() error { _, err := actors.Load[withPtr](ctx, "X"); return err }, "actors_test.withPtr.P is a ptr"},
			{func() error { _, err := actors.Load[[2]struct{ S string }](ctx, "X"); return err }, "[2]struct { S string }[0].S is a string"},
		} {
			err := c.load()
			assert.ErrorIs(t, err, actors.ErrStateType)
			assert.ErrorContains(t, err, ": "+c.want+": a pointer or a reference does not survive a restart (the bank outlives the heap)")
		}
		_, err := actors.Load[int](ctx, "X")
		assert.EqualError(t, err, "actors: type cannot be persistent state: int: int is int, whose size depends on the machine: use a sized type (int32, uint64, …)")
		_, err = actors.Load[hidden](ctx, "X")
		assert.EqualError(t, err, "actors: type cannot be persistent state: actors_test.hidden: actors_test.hidden.n is unexported: encoding/binary cannot set it (export it, or name padding _)")
		_, err = actors.Load[[70000]byte](ctx, "X")
		assert.EqualError(t, err, "actors: type cannot be persistent state: [70000]uint8: 70000 bytes, at most 65525")

		st, err := actors.Load[padded](ctx, "PAD")
		require.NoError(t, err, "blank fields pad")
		require.NoError(t, st.Commit(padded{A: 1, B: 2}))

		big, err := actors.Load[[5000]byte](ctx, "BIG")
		require.NoError(t, err)
		var v [5000]byte
		v[0], v[4999] = 1, 2
		require.NoError(t, big.Commit(v))
		return false, nil
	})
	_, info, err := e.bank.Lookup("BIG@1")
	require.NoError(t, err)
	assert.Equal(t, 3, info.Pages, "two copies of 16 + 8 + 5000 bytes")
	e.reboot()
	_, err = e.ctl.Resume()
	require.NoError(t, err)
	e.waitRunning("cmd.1.1", 2)
	e.do("cmd.1.1", func(ctx *actors.Context) (bool, error) {
		big, err := actors.Load[[5000]byte](ctx, "BIG")
		require.NoError(t, err)
		v := big.Get()
		assert.Equal(t, [3]byte{1, 0, 2}, [3]byte{v[0], v[2500], v[4999]})
		pad, err := actors.Load[padded](ctx, "PAD")
		require.NoError(t, err)
		assert.Equal(t, padded{A: 1, B: 2}, pad.Get())
		return false, nil
	})
	_, _, err = e.bank.Lookup("X@1")
	assert.ErrorIs(t, err, pmm.ErrNotFound, "no block for a refused type")

	e.run(-1, "cmd")
	e.do("cmd", func(ctx *actors.Context) (bool, error) {
		_, err := actors.Load[meter](ctx, "METER")
		assert.ErrorIs(t, err, actors.ErrNotRestartable)
		return false, nil
	})
}

// The members of a group share one Persistent per name: one reads what
// another commits, and another type under the same name is refused there
// too. Once the group's blocks are freed, a goroutine left behind cannot
// commit into them.
func TestPersistentIsSharedInTheGroup(t *testing.T) {
	e := newEnv(t)
	e.run(4, "cmd")
	e.run(4, "cmd")
	var st *actors.Persistent[meter]
	e.do("cmd.4.1", func(ctx *actors.Context) (bool, error) {
		var err error
		st, err = actors.Load[meter](ctx, "METER")
		require.NoError(t, err)
		return false, nil
	})
	e.do("cmd.4.2", func(ctx *actors.Context) (bool, error) {
		st2, err := actors.Load[meter](ctx, "METER")
		require.NoError(t, err)
		assert.Same(t, st, st2)
		require.NoError(t, st2.Commit(meter{Count: 9}))
		_, err = actors.Load[gauge](ctx, "METER")
		assert.EqualError(t, err, "actors: state of another type: state METER@4 holds state of another type "+
			"(layout d9678de1, 25 bytes), not actors_test.gauge (layout 8dc29a94, 21 bytes)")
		return false, nil
	})
	assert.Equal(t, meter{Count: 9}, st.Get())

	require.NoError(t, e.ctl.KillGroup(4))
	err := st.Commit(meter{Count: 1})
	assert.ErrorIs(t, err, pmm.ErrNotFound)
	assert.EqualError(t, err, "pmm: not found: state METER@4: the block was freed (its group ended)")
	assert.Equal(t, meter{Count: 9}, st.Get())

	e.run(4, "cmd") // a new group 4 starts from a new block
	assert.Equal(t, meter{}, e.loadMeter("cmd.4.1"))
}

// Commit allocates nothing for a struct of plain fields and arrays.
func TestPersistentCommitDoesNotAllocate(t *testing.T) {
	e := newEnv(t)
	e.run(1, "cmd")
	e.do("cmd.1.1", func(ctx *actors.Context) (bool, error) {
		st, err := actors.Load[meter](ctx, "METER")
		require.NoError(t, err)
		v := meter{OK: true}
		allocs := testing.AllocsPerRun(100, func() {
			v.Count++
			_ = st.Commit(v)
		})
		assert.Zero(t, allocs)
		assert.Equal(t, uint64(101), st.Get().Count)
		return false, nil
	})
}

// Context() is a context.Context cancelled exactly when the actor must
// stop: a kill, its group's restart (a fellow member failing), akill -g,
// a site restart.
func TestContextIsCancelledOnStop(t *testing.T) {
	e := newEnv(t)
	ctxOf := func(name string) (c context.Context) {
		e.do(name, func(ctx *actors.Context) (bool, error) {
			c = ctx.Context()
			return false, nil
		})
		_, has := c.Deadline()
		require.False(t, has)
		require.NoError(t, c.Err(), "%s runs", name)
		require.Nil(t, c.Value("k"))
		return c
	}
	cancelled := func(c context.Context, why string) {
		t.Helper()
		select {
		case <-c.Done():
		case <-time.After(waitLimit):
			t.Fatalf("not cancelled: %s", why)
		}
		assert.ErrorIs(t, c.Err(), context.Canceled, why)
	}

	ord := e.run(-1, "cmd")
	c := ctxOf("cmd")
	derived, cancel := context.WithTimeout(c, time.Hour)
	defer cancel()
	require.NoError(t, e.ctl.Kill(ord))
	cancelled(c, "killed")
	cancelled(derived, "derived from a killed actor's")

	e.run(2, "cmd")
	w := e.run(2, "wait")
	c = ctxOf("cmd.2.1")
	require.NoError(t, e.ctl.Kill(w))
	cancelled(c, "group restart")
	c = ctxOf("cmd.2.1") // the next incarnation's runs
	require.NoError(t, e.ctl.KillGroup(2))
	cancelled(c, "akill -g")

	e.run(5, "cmd")
	c = ctxOf("cmd.5.1")
	require.NoError(t, e.shutdown())
	cancelled(c, "site restart")
}
