package examples

import (
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func solve(m *maze, limit int) int {
	n := 0
	for !m.solved() && n < limit {
		m.step()
		n++
	}
	return n
}

func TestMazeIsDeterministicAndSolvable(t *testing.T) {
	for _, size := range [][2]int{{2, 2}, {5, 3}, {19, 9}, {60, 30}} {
		w, h := size[0], size[1]
		a := openMaze(make([]byte, mazeBytes(w, h)), w, h, 7)
		b := openMaze(make([]byte, mazeBytes(w, h)), w, h, 7)
		assert.Equal(t, a.cells(), b.cells(), "same seed, same maze")
		// a perfect maze on w*h cells has exactly w*h-1 open walls
		open := 0
		for c := 0; c < w*h; c++ {
			for _, n := range a.around(c) {
				if n > c && a.open(c, n) {
					open++
				}
			}
		}
		assert.Equal(t, w*h-1, open, "%dx%d", w, h)
		steps := solve(a, 2*w*h)
		require.True(t, a.solved(), "%dx%d not solved in %d steps", w, h, steps)
		assert.EqualValues(t, steps, a.steps())
	}
	c := openMaze(make([]byte, mazeBytes(19, 9)), 19, 9, 8)
	d := openMaze(make([]byte, mazeBytes(19, 9)), 19, 9, 7)
	assert.NotEqual(t, c.cells(), d.cells(), "another seed, another maze")
}

// A restart at any step resumes from the block: the solution is the same as
// an uninterrupted run's, step for step.
func TestMazeResumesFromItsBlock(t *testing.T) {
	const w, h = 19, 9
	ref := openMaze(make([]byte, mazeBytes(w, h)), w, h, 3)
	total := solve(ref, 2*w*h)
	for cut := 0; cut < total; cut += 7 {
		blk := make([]byte, mazeBytes(w, h))
		m := openMaze(blk, w, h, 3)
		solve(m, cut)
		again := openMaze(append([]byte(nil), blk...), w, h, 3) // a new run on the kept block
		require.EqualValues(t, cut, again.steps())
		solve(again, 2*w*h)
		require.True(t, again.solved())
		assert.EqualValues(t, total, again.steps(), "cut at %d", cut)
	}
}

// A block of another shape or seed is a new maze, never reinterpreted.
func TestMazeRegeneratesForOtherArguments(t *testing.T) {
	blk := make([]byte, mazeBytes(10, 10))
	m := openMaze(blk, 10, 10, 1)
	solve(m, 20)
	assert.EqualValues(t, 0, openMaze(blk, 10, 10, 2).steps())
	assert.EqualValues(t, 0, openMaze(blk, 9, 10, 2).steps())
}

// A step redraws its cell and the status line and ends it: the cursor
// rests on the row below the maze, where the prompt goes, after every step.
func TestMazeStepKeepsTheCursor(t *testing.T) {
	m := openMaze(make([]byte, mazeBytes(5, 3)), 5, 3, 1)
	var s strings.Builder
	m.drawStep(&s, m.step())
	assert.Equal(t, "\x1b[4;2H*\x1b[8;1Hstep 1, restarts 0\x1b[K\n", s.String())
	s.Reset()
	m.draw(&s)
	assert.True(t, strings.HasSuffix(s.String(), "#\nstep 1, restarts 0\n"), "the status line is the last, and the cursor below it:\n%s", s.String())
}
