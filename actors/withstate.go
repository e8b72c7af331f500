package actors

import (
	"errors"
	"fmt"
	"slices"
	"strings"

	"github.com/hotrestart/tamago-hr/pmm"
)

// declState is a state that a program declares (WithState): the name it
// Loads and the type.
type declState struct {
	name string
	typ  stateType
}

// ErrProgramRefused is wrapped by the error of every start of a program
// whose declaration Register found wrong (WithState): arun, the startup
// script, a group's restart and resume fail at once with it.
var ErrProgramRefused = errors.New("actors: program refused")

// WithState declares that the program keeps a state of type T under name,
// the name it gives Load[T]. Register checks T at once, so a type that
// cannot be kept (a string, pointer, slice or map in it, a machine-sized
// int, an unexported field; more than 64 KiB) is found at boot, naming the
// field, not at every restart of the service (so are a bad name and a name
// declared twice): the program is then refused
// (listed, and every start of it fails at once with ErrProgramRefused and
// the reason, never a restart loop), while Register returns nil so that
// the image's other programs register and run; Programs.Refused lists the
// reasons for the boot log. Load of a declared name with another type is
// refused too (ErrStateMismatch). The build records the declared layouts in
// the image's manifest (tools/statedecl; a constant name), so that a running
// image refuses an upgrade whose types cannot take a state in its bank.
func WithState[T any](name string) ProgramOption {
	return func(p *program) error {
		if p.refused != nil {
			return nil // the first reason is the one told
		}
		if err := checkName(name, MaxActorName); err != nil || strings.ContainsAny(name, "@=") {
			p.refused = fmt.Errorf("%w: state name %q (want 1..%d printable ASCII bytes, no space, @ or =, not %s…)",
				ErrBadName, name, MaxActorName, pmm.ReservedPrefix)
			return nil
		}
		st, err := stateTypeOf[T]()
		if err != nil {
			p.refused = fmt.Errorf("state %s: %w", name, err)
			return nil
		}
		if slices.ContainsFunc(p.states, func(d declState) bool { return d.name == name }) {
			p.refused = fmt.Errorf("%w: state %s declared twice", ErrNameTaken, name)
			return nil
		}
		p.states = append(p.states, declState{name: name, typ: st})
		return nil
	}
}

// Refused lists the programs that Register refused for a wrong
// declaration, one line each ("odometer: state ODO: …"), sorted: the boot
// log says them once.
func (p *Programs) Refused() []string {
	p.mu.RLock()
	defer p.mu.RUnlock()
	var out []string
	for name, prog := range p.m {
		if prog.refused != nil {
			out = append(out, name+": "+prog.refused.Error())
		}
	}
	slices.Sort(out)
	return out
}

// declared returns the type program declares for state name, if any.
func (p *Programs) declared(program, name string) (stateType, bool) {
	if p == nil {
		return stateType{}, false
	}
	p.mu.RLock()
	defer p.mu.RUnlock()
	for _, d := range p.m[program].states {
		if d.name == name {
			return d.typ, true
		}
	}
	return stateType{}, false
}
