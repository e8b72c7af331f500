package actors

import (
	"fmt"
	"testing"

	"github.com/stretchr/testify/assert"
)

// A post delivers its lines and events in the order they happened: to
// Log alone (each event as its line), or lines to Log and events to
// Events.
func TestPostKeepsOrder(t *testing.T) {
	e1 := Event{Kind: EventGroupResumed, GID: 1, Restarts: 1}
	e2 := Event{Kind: EventGroupKilled, GID: 2}
	fill := func(p *post) {
		p.event(Event{Kind: EventGroupResumed, GID: 0}) // before any line
		p.logf("a")
		p.event(e1)
		p.logf("b")
		p.event(e2)
	}
	var got []string
	c := &Controller{deps: Deps{Log: func(f string, a ...any) { got = append(got, fmt.Sprintf(f, a...)) }}}
	p := c.post()
	fill(&p)
	c.flush(&p)
	assert.Equal(t, []string{"hr: group 0 restart 0 (resumed by the operator)", "a", e1.String(), "b", e2.String()}, got)

	got = nil
	var evs []Event
	c.deps.Events = func(e Event) { evs = append(evs, e); got = append(got, "event") }
	p = c.post()
	fill(&p)
	c.flush(&p)
	assert.Equal(t, []string{"event", "a", "event", "b", "event"}, got)
	assert.Equal(t, []Event{{Kind: EventGroupResumed, GID: 0}, e1, e2}, evs)
}

// With neither Log nor Events a post queues nothing and costs nothing:
// the restart path builds no event then.
func TestQuietPostAllocatesNothing(t *testing.T) {
	c := &Controller{}
	p := c.post()
	assert.True(t, p.quiet)
	allocs := testing.AllocsPerRun(100, func() {
		p.event(Event{Kind: EventGroupRestarting, GID: 1, Cause: "x"})
		p.logf("hr: %d", 1)
	})
	assert.Zero(t, allocs)
	assert.Empty(t, p.events)
	assert.Empty(t, p.logs)
}
