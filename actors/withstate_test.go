package actors_test

import (
	"bytes"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/hotrestart/tamago-hr/actors"
	"github.com/hotrestart/tamago-hr/actors/statetest"
)

type namedState struct {
	Count uint32
	Name  string
}

// A program that declares a state type the bank cannot keep is refused at
// Register, naming the field: listed for the boot log, every start fails at
// once (no block, no group), and the image's other programs still run.
func TestWithStateRefusesABadType(t *testing.T) {
	e := newEnv(t)
	require.NoError(t, e.progs.Register("named", func(ctx *actors.Context) error { return ctx.Exit() }, "",
		actors.WithState[namedState]("NAMED")))
	require.NoError(t, e.progs.Register("good", func(ctx *actors.Context) error { <-ctx.Done(); return actors.ErrStopped }, "",
		actors.WithState[meter]("METER")))
	assert.Equal(t, []string{"named: state NAMED: actors: type cannot be persistent state: actors_test.namedState: " +
		"actors_test.namedState.Name is a string: a pointer or a reference does not survive a restart (the bank outlives the heap)"},
		e.progs.Refused())

	_, err := e.ctl.Run(1, "named", nil)
	require.ErrorIs(t, err, actors.ErrProgramRefused)
	require.ErrorIs(t, err, actors.ErrStateType)
	assert.ErrorContains(t, err, `actors: program refused: named: state NAMED: `)
	assert.ErrorContains(t, err, "namedState.Name is a string")
	assert.Equal(t, []string{"__SYS.hr.ctl __SYS.hr.ctl"}, blockNames(e.bank), "nothing made for a refused program")

	e.run(2, "good")
	g, ok := e.group(2)
	require.True(t, ok)
	assert.Equal(t, actors.GroupRunning, g.State)
}

// A second declaration of the same state, or a bad state name, refuses
// the program too (Register itself returns nil: the others register).
func TestWithStateNames(t *testing.T) {
	var p actors.Programs
	nop := func(ctx *actors.Context) error { return nil }
	require.NoError(t, p.Register("twice", nop, "", actors.WithState[meter]("M"), actors.WithState[meter]("M")))
	require.NoError(t, p.Register("at", nop, "", actors.WithState[meter]("A@1")))
	require.NoError(t, p.Register("eq", nop, "", actors.WithState[meter]("A=1")))
	require.NoError(t, p.Register("nl", nop, "", actors.WithState[meter]("A\nB")))
	require.NoError(t, p.Register("ok", nop, "", actors.WithState[meter]("A")))
	want := " (want 1..47 printable ASCII bytes, no space, @ or =, not __SYS…)"
	assert.Equal(t, []string{
		`at: actors: bad name: state name "A@1"` + want,
		`eq: actors: bad name: state name "A=1"` + want,
		`nl: actors: bad name: state name "A\nB"` + want,
		"twice: actors: name taken: state M declared twice",
	}, p.Refused())
}

// Load of a declared state with another type than declared is refused.
func TestLoadChecksTheDeclaredType(t *testing.T) {
	e := newEnv(t)
	got := make(chan error, 1)
	require.NoError(t, e.progs.Register("decl", func(ctx *actors.Context) error {
		_, err := actors.Load[gauge](ctx, "METER")
		got <- err
		return ctx.Exit()
	}, "", actors.WithState[meter]("METER")))
	e.run(1, "decl")
	err := <-got
	require.ErrorIs(t, err, actors.ErrStateMismatch)
	assert.ErrorContains(t, err, "program decl declared it as actors_test.meter")
}

// statetest.Check is what a service's own go test calls.
func TestStatetestCheck(t *testing.T) {
	require.NoError(t, statetest.Check[meter]())
	err := statetest.Check[namedState]()
	require.ErrorIs(t, err, actors.ErrStateType)
	assert.ErrorContains(t, err, "namedState.Name is a string")

	err = statetest.CheckPrograms(func(p *actors.Programs) error {
		if err := p.Register("ok", func(*actors.Context) error { return nil }, "", actors.WithState[meter]("M")); err != nil {
			return err
		}
		return p.Register("named", func(*actors.Context) error { return nil }, "", actors.WithState[namedState]("NAMED"))
	})
	require.ErrorIs(t, err, actors.ErrProgramRefused)
	assert.ErrorContains(t, err, "named: state NAMED:")
	assert.NotContains(t, err.Error(), "ok:")
}

type fixedState struct {
	Name  actors.Str16
	Table actors.Map16[actors.Str16, uint32]
}

// The fixed-size helpers are state types, keep their values across a
// commit and say when they are full.
func TestFixedHelpers(t *testing.T) {
	require.NoError(t, statetest.Check[fixedState]())
	var s fixedState
	require.NoError(t, s.Name.Set("odometer"))
	require.ErrorIs(t, s.Name.Set("seventeen bytes!!"), actors.ErrStringTooLong)
	assert.Equal(t, "odometer", s.Name.String(), "a refused Set leaves the value")
	for i := range 16 {
		var k actors.Str16
		require.NoError(t, k.Set(string(rune('a'+i))))
		require.NoError(t, s.Table.Set(k, uint32(i)))
	}
	var extra actors.Str16
	require.NoError(t, extra.Set("q"))
	require.ErrorIs(t, s.Table.Set(extra, 1), actors.ErrMapFull)
	var b actors.Str16
	require.NoError(t, b.Set("b"))
	require.NoError(t, s.Table.Set(b, 100))
	assert.True(t, s.Table.Delete(b))
	assert.False(t, s.Table.Delete(b))
	require.NoError(t, s.Table.Set(extra, 7), "a deleted key frees its slot")
	assert.Equal(t, 16, s.Table.Len())

	bank, err := statetest.Bank()
	require.NoError(t, err)
	require.NoError(t, statetest.Write(bank, "FIX@1", s))
	got, _, err := statetest.Read[fixedState](bank, "FIX@1")
	require.NoError(t, err)
	v, ok := got.Table.Get(extra)
	assert.True(t, ok)
	assert.Equal(t, uint32(7), v)
	n := 0
	for k, v := range got.Table.All() {
		n++
		if k == extra {
			assert.Equal(t, uint32(7), v)
		}
	}
	assert.Equal(t, 16, n)

	var out bytes.Buffer
	blk, _, err := bank.Lookup("FIX@1")
	require.NoError(t, err)
	require.NoError(t, actors.ShowState(&out, blk))
	assert.Contains(t, out.String(), "Name = \"odometer\" ([16]uint8)\nTable.E[0].Used = true\nTable.E[0].Key = \"a\" ([16]uint8)\nTable.E[0].Val = 0\n")
}
