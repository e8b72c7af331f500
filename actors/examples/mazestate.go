package examples

import (
	"fmt"
	"strings"
)

// maze state in its block (little endian):
//
//	0 magic u32 | 4 w u16 | 6 h u16 | 8 steps u32 | 12 restarts u32
//	16 depth u32 (solver stack) | 20 seed u64 | 28 …
//	then w*h cell bytes (bit 0 east open, bit 1 south open, bit 2 visited)
//	then the solver stack: w*h cell indexes as u16
const (
	mazeMagic  = 0x4d415a45 // "MAZE"
	mazeHeader = 32
	openEast   = 1
	openSouth  = 2
	visited    = 4
)

func mazeBytes(w, h int) int { return mazeHeader + 3*w*h }

type maze struct {
	b    []byte
	w, h int
}

// openMaze adopts the block, generating a new maze when it holds none of
// this shape and seed.
func openMaze(b []byte, w, h int, seed uint64) *maze {
	m := &maze{b: b, w: w, h: h}
	if le.Uint32(b) == mazeMagic && int(le.Uint16(b[4:])) == w && int(le.Uint16(b[6:])) == h && le.Uint64(b[20:]) == seed {
		return m
	}
	clear(b[:mazeBytes(w, h)])
	le.PutUint16(b[4:], uint16(w))
	le.PutUint16(b[6:], uint16(h))
	le.PutUint64(b[20:], seed)
	m.generate(seed)
	m.push(0)
	m.cells()[0] |= visited
	le.PutUint32(b, mazeMagic) // last: a half-made maze is made again
	return m
}

func (m *maze) cells() []byte        { return m.b[mazeHeader : mazeHeader+m.w*m.h] }
func (m *maze) steps() uint32        { return le.Uint32(m.b[8:]) }
func (m *maze) restarts() uint32     { return le.Uint32(m.b[12:]) }
func (m *maze) noteRestart()         { le.PutUint32(m.b[12:], m.restarts()+1) }
func (m *maze) depth() int           { return int(le.Uint32(m.b[16:])) }
func (m *maze) stackAt(i int) int    { return int(le.Uint16(m.b[mazeHeader+m.w*m.h+2*i:])) }
func (m *maze) solved() bool         { return m.depth() > 0 && m.stackAt(m.depth()-1) == m.w*m.h-1 }
func (m *maze) setStack(i, cell int) { le.PutUint16(m.b[mazeHeader+m.w*m.h+2*i:], uint16(cell)) }
func (m *maze) setDepth(d int)       { le.PutUint32(m.b[16:], uint32(d)) }
func (m *maze) push(cell int)        { m.setStack(m.depth(), cell); m.setDepth(m.depth() + 1) }
func (m *maze) open(a, b int) bool   { return m.link(a, b, false) }
func (m *maze) carve(a, b int)       { m.link(a, b, true) }

// link tests (or opens) the wall between adjacent cells a and b.
func (m *maze) link(a, b int, set bool) bool {
	if a > b {
		a, b = b, a
	}
	bit := byte(openEast)
	if b == a+m.w {
		bit = openSouth
	}
	if set {
		m.cells()[a] |= bit
	}
	return m.cells()[a]&bit != 0
}

func (m *maze) around(c int) []int {
	x, y := c%m.w, c/m.w
	var n []int
	if x+1 < m.w {
		n = append(n, c+1)
	}
	if y+1 < m.h {
		n = append(n, c+m.w)
	}
	if x > 0 {
		n = append(n, c-1)
	}
	if y > 0 {
		n = append(n, c-m.w)
	}
	return n
}

// generate carves a perfect maze by randomised depth-first search with a
// small xorshift generator, so a seed always gives the same maze.
func (m *maze) generate(seed uint64) {
	r := seed*2654435761 + 1
	next := func(n int) int {
		r ^= r << 13
		r ^= r >> 7
		r ^= r << 17
		return int(r % uint64(n))
	}
	seen := make([]bool, m.w*m.h)
	stack := []int{0}
	seen[0] = true
	for len(stack) > 0 {
		c := stack[len(stack)-1]
		var fresh []int
		for _, n := range m.around(c) {
			if !seen[n] {
				fresh = append(fresh, n)
			}
		}
		if len(fresh) == 0 {
			stack = stack[:len(stack)-1]
			continue
		}
		n := fresh[next(len(fresh))]
		m.carve(c, n)
		seen[n] = true
		stack = append(stack, n)
	}
}

// step advances the depth-first solver by one move and returns the cell it
// moved to (negative when it backtracked from -cell-1). The stack and the
// visited marks are updated before the step count, so a restart at any
// point repeats at most the drawing.
func (m *maze) step() int {
	c := m.stackAt(m.depth() - 1)
	for _, n := range m.around(c) {
		if m.open(c, n) && m.cells()[n]&visited == 0 {
			m.push(n) // before the mark: a restart in between retries n
			m.cells()[n] |= visited
			le.PutUint32(m.b[8:], m.steps()+1)
			return n
		}
	}
	m.setDepth(m.depth() - 1)
	le.PutUint32(m.b[8:], m.steps()+1)
	return -c - 1
}

// draw renders the whole maze, walls as '#', the solver's path as '*'.
func (m *maze) draw(s *strings.Builder) {
	s.WriteString("\x1b[2J\x1b[H")
	for x := 0; x < 2*m.w+1; x++ {
		s.WriteByte('#')
	}
	s.WriteString("\n")
	onPath := make([]bool, m.w*m.h)
	for i := 0; i < m.depth(); i++ {
		onPath[m.stackAt(i)] = true
	}
	for y := 0; y < m.h; y++ {
		row, below := []byte{'#'}, []byte{'#'}
		for x := 0; x < m.w; x++ {
			c := y*m.w + x
			mark := byte(' ')
			if onPath[c] {
				mark = '*'
			}
			row = append(row, mark)
			if x+1 < m.w && m.open(c, c+1) {
				row = append(row, ' ')
			} else {
				row = append(row, '#')
			}
			if y+1 < m.h && m.open(c, c+m.w) {
				below = append(below, ' ', '#')
			} else {
				below = append(below, '#', '#')
			}
		}
		s.Write(row)
		s.WriteString("\n")
		s.Write(below)
		s.WriteString("\n")
	}
	fmt.Fprintf(s, "step %d, restarts %d\n", m.steps(), m.restarts())
}

// drawStep updates one cell and the status line with cursor moves, and
// ends the status line: the cursor rests at the start of the row below it,
// where the console's prompt goes, so the status never runs into the
// prompt or erases it, and each step leaves the cursor on that same row
// (a console that ends every log message with a newline adds none).
func (m *maze) drawStep(s *strings.Builder, cell int) {
	mark := byte('*')
	if cell < 0 {
		cell, mark = -cell-1, '.'
	}
	x, y := cell%m.w, cell/m.w
	fmt.Fprintf(s, "\x1b[%d;%dH%c\x1b[%d;1Hstep %d, restarts %d\x1b[K\n", 2*y+2, 2*x+2, mark, 2*m.h+2, m.steps(), m.restarts())
}
