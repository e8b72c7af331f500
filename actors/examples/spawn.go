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
	parentBlock  = "PARENT_PM"     // {restarted, counter}
	childBlock   = "CHILD_PM"      // {restarted, checkpoint}
	messageBlock = "CHILD_MESSAGE" // the message, one fixed slot per step
	childName    = "HR_child"      // + ".<gid>": one child per group
	steps        = 4
	stepSlot     = 8 // " STEP n " fits
	stepPause    = 400 * time.Millisecond
)

// Parent runs as `arun -g GID spawn [CRASHES]`.
func Parent(ctx *actors.Context) error {
	crashes := 2
	if a := ctx.Args(); len(a) > 0 {
		n, err := strconv.Atoi(a[0])
		if err != nil || n < 0 || n > 100 {
			ctx.Printf("spawn: CRASHES %q is not 0…100\n", a[0])
			return ctx.Exit()
		}
		crashes = n
	}
	st, err := ctx.AllocateGroup(parentBlock, 8)
	if err != nil {
		ctx.Printf("spawn: %v\n", err)
		return ctx.Exit()
	}
	restarted := le.Uint32(st[0:])
	ctx.Printf("parent: run %d (restarted %d times)\n", restarted+1, restarted)
	kid := fmt.Sprintf("%s.%d", childName, ctx.Group())
	if _, err := ctx.Spawn(kid, "child"); err != nil {
		return fmt.Errorf("parent: spawn %s: %w", kid, err)
	}
	child, err := ctx.AllocateGroup(childBlock, 8)
	if err != nil {
		return err
	}
	for {
		if stop, err := wait(ctx, stepPause*3/2); stop {
			return err
		}
		le.PutUint32(st[4:], le.Uint32(st[4:])+1) // main-loop iterations
		if int(restarted) < crashes {
			le.PutUint32(st[0:], restarted+1)
			panic(fmt.Sprintf("parent: crash %d of %d, on purpose", restarted+1, crashes))
		}
		if le.Uint32(child[4:]) >= steps {
			ctx.Printf("parent: child done, exiting\n")
			return ctx.Exit()
		}
	}
}

// Child builds the message. Step n writes its own slot, then advances the
// checkpoint: a restart between the two rewrites the same slot, so no step
// can appear twice.
func Child(ctx *actors.Context) error {
	st, err := ctx.AllocateGroup(childBlock, 8)
	if err != nil {
		return err
	}
	msg, err := ctx.AllocateGroup(messageBlock, steps*stepSlot)
	if err != nil {
		return err
	}
	cp := le.Uint32(st[4:])
	if cp >= steps {
		return ctx.Exit() // done in an earlier run
	}
	if cp > 0 || le.Uint32(st[0:]) > 0 {
		le.PutUint32(st[0:], le.Uint32(st[0:])+1)
		ctx.Printf("child: restarted at checkpoint %d\n", cp)
	}
	for n := cp + 1; n <= steps; n++ {
		if stop, err := wait(ctx, stepPause); stop {
			return err
		}
		copy(msg[(n-1)*stepSlot:n*stepSlot], fmt.Sprintf("%-*s", stepSlot, fmt.Sprintf(" STEP %d", n)))
		ctx.Printf("child: STEP %d\n", n)
		le.PutUint32(st[4:], n)
	}
	text := strings.Join(strings.Fields(string(msg[:steps*stepSlot])), " ")
	ctx.Printf("=========== Message =========== %s ======== End of message========\n", text)
	return ctx.Exit()
}
