package examples

import (
	"flag"
	"fmt"
	"io"
	"strings"
	"time"

	"github.com/hotrestart/tamago-hr/actors"
)

// Maze is the hot restart demo (the Xmaze analog for a serial console): it
// generates a maze and solves it one step at a time, drawn with ANSI at a
// human pace. The maze and the solver's stack live in a persistent block, so
// after a crash, a kill or a site restart it resumes from its last step.
//
//	arun -g 1 maze [-rate 10] [-seed 1] [-size 19x9] [-headless]
func (s Set) Maze(ctx *actors.Context) error {
	fs := flag.NewFlagSet("maze", flag.ContinueOnError)
	fs.SetOutput(io.Discard)
	rate := fs.Int("rate", 10, "steps per second")
	seed := fs.Uint64("seed", 1, "maze seed")
	size := fs.String("size", "19x9", "cells, WxH")
	headless := fs.Bool("headless", false, "no drawing, full speed")
	var w, h int
	if err := fs.Parse(ctx.Args()); err != nil || *rate < 1 || *rate > 1000 {
		ctx.Printf("maze: bad arguments %q\n", joinArgs(ctx.Args()))
		return ctx.Exit()
	}
	if n, _ := fmt.Sscanf(*size, "%dx%d", &w, &h); n != 2 || w < 2 || h < 2 || w > 60 || h > 30 {
		ctx.Printf("maze: size %q is not WxH within 2x2…60x30\n", *size)
		return ctx.Exit()
	}
	blk, err := ctx.AllocateGroup("MAZE", mazeBytes(w, h))
	if err != nil {
		ctx.Printf("maze: %v\n", err)
		return ctx.Exit()
	}
	m := openMaze(blk, w, h, *seed)
	if m.steps() > 0 {
		m.noteRestart()
	}
	ctx.Printf("maze: %dx%d seed %d, step %d, restarts %d\n", w, h, *seed, m.steps(), m.restarts())
	var screen strings.Builder
	if !*headless {
		m.draw(&screen)
		ctx.Printf("%s", screen.String())
	}
	pause := time.Second / time.Duration(*rate)
	for !m.solved() {
		select {
		case kind := <-ctx.Faults():
			return s.Misbehave(ctx, kind)
		default:
		}
		if *headless {
			if err := ctx.Sleep(time.Millisecond); err != nil {
				return err
			}
		} else if err := ctx.Sleep(pause); err != nil {
			return err
		}
		cell := m.step()
		if !*headless {
			screen.Reset()
			m.drawStep(&screen, cell)
			ctx.Printf("%s", screen.String())
		} else if m.steps()%50 == 0 {
			ctx.Printf("maze: step %d\n", m.steps())
		}
	}
	if !*headless {
		ctx.Printf("\x1b[%d;1H", 2*h+3)
	}
	ctx.Printf("maze: solved in %d steps, %d restarts\n", m.steps(), m.restarts())
	return ctx.Exit()
}
