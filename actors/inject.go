package actors

import (
	"fmt"
	"slices"
	"strings"
)

// faultKinds are the misbehaviours Inject may request (the kernel's
// `inject AID KIND`); what each does is up to the program (see
// actors/examples.Set.Misbehave): panic, return an error, exit without Exit,
// hang without heartbeats, spin without yielding, nil dereference,
// undefined instruction, divide by zero.
var faultKinds = []string{"panic", "error", "exit", "hang", "spin", "nil", "undef", "div0"}

// FaultKinds lists the kinds Inject accepts.
func FaultKinds() []string { return slices.Clone(faultKinds) }

// Inject delivers a fault request to the running actor aid through its
// Context.Faults channel. It does not wait for the actor to act on it; one
// request may be pending at a time.
func (c *Controller) Inject(aid AID, kind string) error {
	if !slices.Contains(faultKinds, kind) {
		return fmt.Errorf("%w: %q (kinds: %s)", ErrBadFault, kind, strings.Join(faultKinds, " "))
	}
	c.mu.Lock()
	x, err := c.resolveLocked(aid)
	c.mu.Unlock()
	if err != nil {
		return err
	}
	select {
	case x.faultCh() <- kind:
		return nil
	default:
		return fmt.Errorf("%w: aid %d", ErrFaultPending, aid)
	}
}
