package actors

import (
	"fmt"
	"slices"
	"strings"
	"sync"

	"github.com/hotrestart/tamago-hr/pmm"
)

// Program is the code of an actor, compiled into the image (the "actor
// image" analog): it runs on its own goroutine with the Context of one
// incarnation. It ends with `return ctx.Exit()` when its task is done (a
// clean termination); returning nil without Exit, returning an error or
// panicking is an abnormal termination of a restartable actor.
type Program func(ctx *Context) error

// MaxProgramName bounds a program name, so that a generated direct-actor
// name "<program>.<gid>.<n>" stays within MaxActorName.
const MaxProgramName = 31

// MaxActorName bounds a restartable actor's name (as ChorusOS bounds a
// PmmName); names appear in aps and logs, so they are printable ASCII
// without spaces.
const MaxActorName = pmm.MaxNameLen

// Programs is the registry of the programs built into the image, by name.
// The zero value is an empty registry, ready to use and safe for concurrent
// use.
type Programs struct {
	mu   sync.RWMutex
	m    map[string]program
	migs []explicitMig // RegisterMigration
}

type program struct {
	run     Program
	help    string
	policy  PolicyEdit  // WithPolicy; nil: the tunables
	states  []declState // WithState
	refused error       // a declaration found wrong (WithState): every start fails with it
}

// ProgramOption declares more about a program at Register: what it keeps
// in the bank, how it is supervised. Each option lives in the file of the
// feature it configures.
type ProgramOption func(*program) error

// Register adds prog under name, with a one-line help for the console and
// the options that declare more about it; an option's error refuses the
// program, naming it.
func (p *Programs) Register(name string, prog Program, help string, opts ...ProgramOption) error {
	if err := checkName(name, MaxProgramName); err != nil {
		return err
	}
	if prog == nil {
		return fmt.Errorf("%w: program %q has no code", ErrNoProgram, name)
	}
	p.mu.Lock()
	defer p.mu.Unlock()
	if _, dup := p.m[name]; dup {
		return fmt.Errorf("%w: program %q registered twice", ErrNameTaken, name)
	}
	if p.m == nil {
		p.m = make(map[string]program)
	}
	entry := program{run: prog, help: help}
	for _, opt := range opts {
		if err := opt(&entry); err != nil {
			return fmt.Errorf("program %q: %w", name, err)
		}
	}
	p.m[name] = entry
	return nil
}

// Names lists the registered programs, sorted.
func (p *Programs) Names() []string {
	p.mu.RLock()
	defer p.mu.RUnlock()
	names := make([]string, 0, len(p.m))
	for n := range p.m {
		names = append(names, n)
	}
	slices.Sort(names)
	return names
}

// Help returns the help line of a program ("" if there is none).
func (p *Programs) Help(name string) string {
	p.mu.RLock()
	defer p.mu.RUnlock()
	return p.m[name].help
}

func (p *Programs) lookup(name string) (Program, error) {
	if p != nil {
		p.mu.RLock()
		prog, ok := p.m[name]
		p.mu.RUnlock()
		if ok && prog.refused != nil {
			return nil, fmt.Errorf("%w: %s: %w", ErrProgramRefused, name, prog.refused)
		}
		if ok {
			return prog.run, nil
		}
	}
	return nil, fmt.Errorf("%w: %q", ErrNoProgram, name)
}

// checkName accepts 1..maxLen printable ASCII bytes without spaces and
// without the reserved prefix: names are shown on the console and must read
// unambiguously.
func checkName(name string, maxLen int) error {
	ok := len(name) >= 1 && len(name) <= maxLen && !strings.HasPrefix(name, pmm.ReservedPrefix)
	for i := 0; ok && i < len(name); i++ {
		ok = name[i] > 0x20 && name[i] < 0x7f
	}
	if !ok {
		return fmt.Errorf("%w: %q (want 1..%d printable ASCII bytes, no spaces, not %s…)", ErrBadName, name, maxLen, pmm.ReservedPrefix)
	}
	return nil
}
