package examples

import (
	"fmt"
	"strconv"
	"strings"
	"time"

	"github.com/hotrestart/tamago-hr/actors"
)

// restartSpawn (ChorusOS 4.0 guide §4.5, Appendix B.3): a parent that
// spawns a child by name in its group and crashes on purpose a bounded
// number of times; a child that builds a message step by step with a
// persistent checkpoint. Every restart — group or site — resumes both, and
// the message ends up complete with each step exactly once.

const (
	parentBlock  = "PARENT_PM"     // parentState
	childBlock   = "CHILD_PM"      // childState
	messageBlock = "CHILD_MESSAGE" // the message, one fixed slot per step: bulk data, a raw block
	childName    = "HR_child"      // + ".<gid>": one child per group
	steps        = 4
	stepSlot     = 8 // " STEP n " fits
	stepPause    = 400 * time.Millisecond
)

// parentState and childState are the ChorusOS example's persistent
// structures, as typed state (actors.Load): each Commit is whole or not at
// all. The parent reads the child's checkpoint from the same state.
type parentState struct {
	Restarted  uint32 // crashes so far
	Iterations uint32 // main-loop iterations
}

type childState struct {
	Restarted  uint32 // restarts that found work done
	Checkpoint uint32 // the last step written to the message
}

// Parent runs as `arun -g GID spawn [CRASHES]`.
func (s Set) Parent(ctx *actors.Context) error {
	crashes := 2
	if a := ctx.Args(); len(a) > 0 {
		n, err := strconv.Atoi(a[0])
		if err != nil || n < 0 || n > 100 {
			ctx.Printf("spawn: CRASHES %q is not 0…100\n", a[0])
			return ctx.Exit()
		}
		crashes = n
	}
	st, err := actors.Load[parentState](ctx, parentBlock)
	if err != nil {
		ctx.Printf("spawn: %v\n", err)
		return ctx.Exit()
	}
	restarted := st.Get().Restarted
	ctx.Printf("parent: run %d (restarted %d times)\n", restarted+1, restarted)
	kid := fmt.Sprintf("%s.%d", childName, ctx.Group())
	if _, err := ctx.Spawn(kid, "child"); err != nil {
		return fmt.Errorf("parent: spawn %s: %w", kid, err)
	}
	child, err := actors.Load[childState](ctx, childBlock)
	if err != nil {
		return err
	}
	for {
		if stop, err := s.wait(ctx, stepPause*3/2); stop {
			return err
		}
		p := st.Get()
		p.Iterations++
		crash := int(restarted) < crashes
		if crash {
			p.Restarted = restarted + 1
		}
		if err := st.Commit(p); err != nil {
			return err
		}
		if crash {
			panic(fmt.Sprintf("parent: crash %d of %d, on purpose", restarted+1, crashes))
		}
		if child.Get().Checkpoint >= steps {
			ctx.Printf("parent: child done, exiting\n")
			return ctx.Exit()
		}
	}
}

// Child builds the message. Step n writes its own slot, then advances the
// checkpoint: a restart between the two rewrites the same slot, so no step
// can appear twice.
func (s Set) Child(ctx *actors.Context) error {
	st, err := actors.Load[childState](ctx, childBlock)
	if err != nil {
		return err
	}
	msg, err := ctx.AllocateGroup(messageBlock, steps*stepSlot)
	if err != nil {
		return err
	}
	c := st.Get()
	if c.Checkpoint >= steps {
		return ctx.Exit() // done in an earlier run
	}
	if c.Checkpoint > 0 || c.Restarted > 0 {
		c.Restarted++
		if err := st.Commit(c); err != nil {
			return err
		}
		ctx.Printf("child: restarted at checkpoint %d\n", c.Checkpoint)
	}
	for n := c.Checkpoint + 1; n <= steps; n++ {
		if stop, err := s.wait(ctx, stepPause); stop {
			return err
		}
		copy(msg[(n-1)*stepSlot:n*stepSlot], fmt.Sprintf("%-*s", stepSlot, fmt.Sprintf(" STEP %d", n)))
		ctx.Printf("child: STEP %d\n", n)
		c.Checkpoint = n
		if err := st.Commit(c); err != nil {
			return err
		}
	}
	text := strings.Join(strings.Fields(string(msg[:steps*stepSlot])), " ")
	ctx.Printf("=========== Message =========== %s ======== End of message========\n", text)
	return ctx.Exit()
}
