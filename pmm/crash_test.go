package pmm

import (
	"fmt"
	"hash/maphash"
	"math/rand"
	"slices"
	"testing"

	"github.com/stretchr/testify/require"
)

// This file proves the crash-consistency claim of the package doc: for every
// operation, a reset after any store (and inside any store, and with the
// stores since the last fence landing in any subset) reopens in the state
// before the operation or the state after it, with every committed block's
// data intact; and a reset during Open's own recovery does the same.

// stor is one logged metadata store and the fence epoch it was issued in.
type stor struct {
	off   int
	p     []byte
	epoch int
}

// recorder is a storer that writes through and logs.
type recorder struct {
	mem   []byte
	log   []stor
	epoch int
}

func (r *recorder) store(off int, p []byte) {
	copy(r.mem[off:], p)
	r.log = append(r.log, stor{off, slices.Clone(p), r.epoch})
}
func (r *recorder) zero(off, n int) { r.store(off, make([]byte, n)) }
func (r *recorder) fence()          { r.epoch++ }

// tears are the byte positions a store of n bytes is cut at: every byte of
// a record, a sample of larger stores.
func tears(n int) []int {
	var js []int
	step := max(1, n/64)
	for j := 1; j < n; j += step {
		js = append(js, j)
	}
	if n > 1 && js[len(js)-1] != n-1 {
		js = append(js, n-1)
	}
	return js
}

// cuts calls visit with every power-cut image of log applied to base: each
// prefix of whole stores; each prefix plus the head or the tail of the next
// store; and per fence epoch, after all earlier epochs: each of its stores
// alone, all but each one, and random subsets (some torn). prefix is true for the in-order whole-store cuts.
func cuts(base []byte, log []stor, visit func(img []byte, k int, prefix bool)) {
	img := make([]byte, len(base))
	build := func(n int, extra func(m []byte)) []byte {
		copy(img, base)
		for _, s := range log[:n] {
			copy(img[s.off:], s.p)
		}
		if extra != nil {
			extra(img)
		}
		return img
	}
	for k := 0; k <= len(log); k++ {
		visit(build(k, nil), k, true)
		if k == len(log) {
			break
		}
		s := log[k]
		for _, j := range tears(len(s.p)) {
			visit(build(k, func(m []byte) { copy(m[s.off:], s.p[:j]) }), k, false)
			visit(build(k, func(m []byte) { copy(m[s.off+j:], s.p[j:]) }), k, false)
		}
	}
	rng := rand.New(rand.NewSource(int64(len(log))))
	for k := 0; k < len(log); {
		e, end := log[k].epoch, k
		for end < len(log) && log[end].epoch == e {
			end++
		}
		epoch := log[k:end]
		if len(epoch) > 1 {
			for i := range epoch { // only store i lands; all but store i land
				visit(build(k, func(m []byte) { copy(m[epoch[i].off:], epoch[i].p) }), k, false)
				visit(build(k, func(m []byte) {
					for j, s := range epoch {
						if j != i {
							copy(m[s.off:], s.p)
						}
					}
				}), k, false)
			}
			for range 32 {
				visit(build(k, func(m []byte) {
					for _, s := range epoch {
						switch rng.Intn(3) {
						case 0:
							copy(m[s.off:], s.p)
						case 1:
							a := rng.Intn(len(s.p))
							b := a + rng.Intn(len(s.p)-a)
							copy(m[s.off+a:], s.p[a:b])
						}
					}
				}), k, false)
			}
		}
		k = end
	}
}

type scenario struct {
	name  string
	setup func(t testing.TB, b *Bank)
	op    func(b *Bank) error
	// damagedOnly: the operation needs the quarantined record of a damaged
	// run (release) and has no undamaged run.
	damagedOnly bool
}

func alloc(t testing.TB, b *Bank, owner Owner, name string, pages int, key string) {
	t.Helper()
	_, err := b.AllocateAs(owner, name, pages*PageSize, key)
	require.NoError(t, err)
}

// four leaves a bank with user and system blocks under two keys.
func four(t testing.TB, b *Bank) {
	alloc(t, b, User, "a", 2, "job")
	alloc(t, b, System, "__SYSimg", 3, "__SYS_G1")
	alloc(t, b, User, "b", 1, "job")
	alloc(t, b, User, "c", 4, "__SYS_G1")
}

var scenarios = []scenario{
	{"allocate-empty", func(testing.TB, *Bank) {}, func(b *Bank) error { _, err := b.Allocate("n", 3*PageSize, "k"); return err }, false},
	{"allocate-new", four, func(b *Bank) error { _, err := b.Allocate("n", 2*PageSize, "k"); return err }, false},
	{"allocate-system", four, func(b *Bank) error { _, err := b.AllocateAs(System, "__SYSx", 1, "__SYS_G2"); return err }, false},
	{"allocate-last-slot", func(t testing.TB, b *Bank) {
		four(t, b)
		alloc(t, b, User, "e", 1, "k")
	}, func(b *Bank) error { _, err := b.Allocate("n", 1, "k"); return err }, false},
	{"allocate-fragmented", func(t testing.TB, b *Bank) {
		four(t, b)
		require.NoError(t, b.Free("a"))
		require.NoError(t, b.Free("b"))
	}, func(b *Bank) error { _, err := b.Allocate("n", PageSize+1, "k"); return err }, false},
	{"retrieve", four, func(b *Bank) error { _, err := b.Allocate("a", 1, "k"); return err }, false},
	{"free", four, func(b *Bank) error { return b.Free("b") }, false},
	{"free-group-key", four, func(b *Bank) error { return b.Free("c") }, false},
	{"freeall", four, func(b *Bank) error { _, err := b.FreeAll("job"); return err }, false},
	{"sysfree", four, func(b *Bank) error { return b.SysFree("__SYSimg") }, false},
	{"sysfreeall", four, func(b *Bank) error { _, err := b.SysFreeAll("__SYS_G1"); return err }, false},
	{"format", four, func(b *Bank) error { return b.Format() }, false},
	{"format-empty", func(testing.TB, *Bank) {}, func(b *Bank) error { return b.Format() }, false},
	{"release", four, func(b *Bank) error { return b.Release(b.Quarantined()[0].Slot) }, true},
	{"free-quarantined-by-name", four, func(b *Bank) error { return b.Free(damagedName) }, true},
}

// damagedName is the block whose record a damaged run corrupts: a
// checksum byte, so that its name still reads.
const damagedName = "dmg"

// damaged is the geometry of damaged runs: small with two more slots, for
// the damaged block and so that every scenario's operation still fits.
var damaged = Geometry{Size: small.Size, MaxBlocks: small.MaxBlocks + 2}

// damage allocates damagedName, fills it, flips a bit of its record's
// checksum in mem and reopens mem: the bank that comes back has it
// quarantined and every other block.
func damage(t *testing.T, b *Bank, mem []byte, g Geometry) *Bank {
	alloc(t, b, User, damagedName, 2, "dmg")
	fillAll(t, b)
	want := b.Blocks()
	_, info, err := b.Lookup(damagedName)
	require.NoError(t, err)
	i := b.byName[damagedName]
	mem[layoutOf(g).slotOff(i)+rCRC] ^= 0x10
	b2, rep, err := Open(mem, g)
	require.NoError(t, err)
	require.True(t, rep.Warm, rep.Reason)
	require.Equal(t, slices.DeleteFunc(want, func(bi BlockInfo) bool { return bi.Name == damagedName }), b2.Blocks())
	q := b2.Quarantined()
	require.Len(t, q, 1)
	require.Equal(t, Quarantined{Slot: i, Name: damagedName, FirstPage: info.FirstPage, Pages: info.Pages,
		Why: q[0].Why}, q[0])
	require.Contains(t, q[0].Why, "bad checksum")
	return b2
}

// reopen opens a copy of img, logging Open's own stores, and checks the
// invariants every bank must satisfy.
func reopen(t *testing.T, img []byte, g Geometry) (*Bank, OpenReport, []stor) {
	t.Helper()
	m := slices.Clone(img)
	r := &recorder{mem: m}
	b, rep, err := open(m, g, r)
	require.NoError(t, err)
	require.NoError(t, invariants(b), rep.Reason)
	b.st = &memStorer{mem: m}
	return b, rep, r.log
}

func checkData(t *testing.T, b *Bank, before []BlockInfo) {
	t.Helper()
	for _, bi := range b.Blocks() {
		m, _, _ := b.Lookup(bi.Name)
		if slices.Contains(before, bi) {
			require.Equal(t, pattern(bi.Name, len(m)), m, "data of committed block %q", bi.Name)
		} else {
			require.Equal(t, make([]byte, len(m)), m, "new block %q not zeroed", bi.Name)
		}
	}
}

func TestCrashConsistency(t *testing.T) {
	total := 0
	for _, sc := range scenarios {
		if !sc.damagedOnly {
			t.Run(sc.name, func(t *testing.T) {
				n := crashScenario(t, sc, small, false)
				t.Logf("%d cut points", n)
				total += n
			})
		}
		// The same with one record damaged beforehand: the quarantine
		// survives every cut as it was (or released, by a release), and the
		// pages it withholds keep their data.
		t.Run("damaged-"+sc.name, func(t *testing.T) {
			n := crashScenario(t, sc, damaged, true)
			t.Logf("%d cut points", n)
			total += n
		})
	}
	for _, cc := range coldCases {
		t.Run("cold-"+cc.name, func(t *testing.T) {
			n := crashCold(t, cc.img(t))
			t.Logf("%d cut points", n)
			total += n
		})
	}
	t.Logf("crash consistency: %d cut points tested", total)
}

func crashScenario(t *testing.T, sc scenario, g Geometry, dmg bool) int {
	b, mem := openBlank(t, g)
	sc.setup(t, b)
	fillAll(t, b)
	var dmgData []byte // the damaged block's pages, which nothing may overwrite
	if dmg {
		b = damage(t, b, mem, g)
		q := b.Quarantined()[0]
		dmgData = slices.Clone(mem[q.FirstPage*PageSize : (q.FirstPage+q.Pages)*PageSize])
	}
	before, qBefore := b.Blocks(), b.Quarantined()
	base := slices.Clone(mem)
	r := &recorder{mem: mem}
	b.st = r
	require.NoError(t, sc.op(b))
	after, qAfter := b.Blocks(), b.Quarantined()
	require.NoError(t, invariants(b))
	checkData(t, b, before)
	// checkQuarantine: the quarantine is the one of the state found, and
	// until released the damaged block's pages hold what they held.
	checkQuarantine := func(b2 *Bank, isAfter bool, k int) {
		q := b2.Quarantined()
		if isAfter {
			require.Equal(t, qAfter, q, "cut %d: quarantine after", k)
		} else {
			require.Equal(t, qBefore, q, "cut %d: quarantine before", k)
		}
		if len(q) > 0 {
			require.Equal(t, dmgData, b2.mem[q[0].FirstPage*PageSize:(q[0].FirstPage+q[0].Pages)*PageSize],
				"cut %d: pages withheld by the quarantine overwritten", k)
		}
	}

	count, sawAfter := 0, false
	seed := maphash.MakeSeed()
	seen := map[uint64]bool{}             // distinct cut images only
	recovered := map[uint64][]BlockInfo{} // images met while cutting recovery
	cuts(base, r.log, func(img []byte, k int, prefix bool) {
		h := maphash.Bytes(seed, img)
		if seen[h] && !prefix {
			return
		}
		seen[h] = true
		count++
		b2, rep, rlog := reopen(t, img, g)
		require.True(t, rep.Warm, "cut %d: %s", k, rep.Reason)
		got, gotQ := b2.Blocks(), b2.Quarantined()
		isBefore := slices.Equal(got, before) && slices.Equal(gotQ, qBefore)
		isAfter := slices.Equal(got, after) && slices.Equal(gotQ, qAfter)
		require.True(t, isBefore || isAfter, "cut %d: state neither before nor after: %+v, quarantined %+v", k, got, gotQ)
		checkQuarantine(b2, isAfter && !isBefore, k)
		if prefix {
			require.False(t, sawAfter && !isAfter, "cut %d: state went back to before", k)
			sawAfter = sawAfter || (isAfter && !isBefore)
		}
		checkData(t, b2, before)
		// A reset during Open's recovery must reopen in the same state.
		cuts(img, rlog, func(img2 []byte, _ int, _ bool) {
			h2 := maphash.Bytes(seed, img2)
			if st, ok := recovered[h2]; ok {
				require.Equal(t, got, st, "cut %d, then again during recovery", k)
				return
			}
			count++
			b3, rep3, _ := reopen(t, img2, g)
			require.True(t, rep3.Warm, rep3.Reason)
			require.Equal(t, got, b3.Blocks(), "cut %d, then again during recovery", k)
			require.Equal(t, gotQ, b3.Quarantined(), "cut %d, then again during recovery", k)
			checkData(t, b3, before)
			recovered[h2] = got
		})
		// The bank must stay usable.
		if len(got) > 0 {
			require.NoError(t, b2.SysFree(got[0].Name))
		}
		_, err := b2.Allocate("after-cut", 1, "k")
		require.NoError(t, err)
		require.NoError(t, invariants(b2))
	})
	require.True(t, sawAfter || slices.Equal(before, after), "the complete log must reach the after state")
	return count
}

type coldCase struct {
	name string
	img  func(t *testing.T) []byte
}

var coldCases = []coldCase{
	{"garbage", func(t *testing.T) []byte {
		m := make([]byte, small.Size)
		rand.New(rand.NewSource(1)).Read(m[:PageSize])
		return m
	}},
	{"corrupt-header", func(t *testing.T) []byte {
		b, mem := openBlank(t, small)
		four(t, b)
		mem[hMetaPages]++ // the header is the bank's, not one record's
		return mem
	}},
	{"other-geometry", func(t *testing.T) []byte {
		g := Geometry{Size: small.Size, MaxBlocks: 5}
		b, mem := openBlank(t, g)
		four(t, b)
		return mem
	}},
}

// crashCold cuts the initialisation of a bank Open found invalid: the result
// must open cold again, or warm and empty, and never resurrect old blocks.
func crashCold(t *testing.T, img []byte) int {
	_, rep, log := reopen(t, img, small)
	require.False(t, rep.Warm)
	require.NotEmpty(t, log)
	count, seed, seen := 0, maphash.MakeSeed(), map[uint64]bool{}
	cuts(img, log, func(m []byte, k int, _ bool) {
		if h := maphash.Bytes(seed, m); seen[h] {
			return
		} else {
			seen[h] = true
		}
		count++
		b, rep, _ := reopen(t, m, small)
		require.Empty(t, b.Blocks(), fmt.Sprintf("cut %d: %s", k, rep.Reason))
	})
	return count
}
