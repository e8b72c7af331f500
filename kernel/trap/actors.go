package trap

import "github.com/hotrestart/tamago-hr/board/tunables"

// actorGs holds the g of every running actor goroutine: the handler must
// tell an actor from any other goroutine without allocating or locking.
// Single core and no preemption: a slot is written by one store, read by
// the handler. Two slots per actor the image registers at most
// (hrCtrl.maxActors): room for every actor and, for each, an incarnation
// that has not yet ended its stop (a lagging one). Were the table full,
// the next actor's fault would be a non-actor's: a site restart.
var actorGs [2 * tunables.MaxActors]uintptr

// track records (start) or forgets g in actorGs (TrackActor).
func track(g uintptr, start bool) {
	want, put := uintptr(0), g
	if !start {
		want, put = g, 0
	}
	for i := range actorGs {
		if actorGs[i] == want {
			actorGs[i] = put
			return
		}
	}
}

// isActor reports whether g is a running actor's goroutine.
func isActor(g uintptr) bool {
	for _, a := range actorGs {
		if a != 0 && a == g {
			return true
		}
	}
	return false
}
