package actors

import (
	"context"
	"time"
)

// Context returns the incarnation as a context.Context, for the libraries
// a service calls (the ecosystem's convention, as suture's Serve(ctx) or
// net/http's Request.Context): it is cancelled — Done closed, Err
// context.Canceled — exactly when Done is, that is when the actor must
// stop (its group restarts or is killed, it is killed, the site restarts)
// and once it has ended. It has no deadline and no values. It costs no
// allocation and no goroutine: it is the actor's own stop channel.
func (x *Context) Context() context.Context { return (*stdContext)(x) }

// stdContext is Context seen as a context.Context.
type stdContext Context

func (s *stdContext) Deadline() (time.Time, bool) { return time.Time{}, false }
func (s *stdContext) Done() <-chan struct{}       { return s.stop }
func (s *stdContext) Value(any) any               { return nil }

func (s *stdContext) Err() error {
	select {
	case <-s.stop:
		return context.Canceled
	default:
		return nil
	}
}

// String names the actor, for context trees printed by libraries.
func (s *stdContext) String() string { return "actors.Context(" + s.name + ")" }
