// Package console is the C_INIT-style command interpreter: a table of
// commands (one or two words: "aps", "pmm ls"), argument-count checks, help,
// and line editing over any io.ReadWriter (the UART, an SSH channel, a test
// pipe). Every Serve call has its own terminal and state, so sessions never
// share or corrupt each other (tamago-example's shell did).
package console

import (
	"errors"
	"fmt"
	"io"
	"sort"
	"strconv"
	"strings"
	"sync"
	"unicode/utf8"
)

// Fn runs a command; args exclude the command's own words.
type Fn func(out io.Writer, args []string) error

// Cmd is one console command.
type Cmd struct {
	Name    string // "aps" or "pmm ls"
	Syntax  string // arguments, e.g. "NAME SIZE [KEY]"
	Help    string // one line
	MinArgs int
	MaxArgs int // -1: no limit
	Fn      Fn
}

// Errors returned by Exec; commands' own errors are passed through.
var (
	ErrUnknown = errors.New("unknown command")
	ErrUsage   = errors.New("usage")
)

// Shell is a command table. It is safe for concurrent use.
type Shell struct {
	mu     sync.RWMutex
	cmds   map[string]*Cmd
	groups map[string][]string // first word -> subcommands, for "pmm" alone
	closed error               // set by Close: every later line is refused with it
}

// New returns an empty shell with `help` registered.
func New() *Shell {
	s := &Shell{cmds: map[string]*Cmd{}, groups: map[string][]string{}}
	s.MustAdd(Cmd{Name: "help", Help: "list every command with its syntax", MaxArgs: 0,
		Fn: func(out io.Writer, _ []string) error { s.Help(out); return nil }})
	s.addSessionCmds()
	return s
}

// Add registers c; a duplicate or malformed name is an error.
func (s *Shell) Add(c Cmd) error {
	words := strings.Fields(c.Name)
	if len(words) == 0 || len(words) > 2 || c.Fn == nil || strings.Join(words, " ") != c.Name {
		return fmt.Errorf("console: bad command %q", c.Name)
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	if _, dup := s.cmds[c.Name]; dup {
		return fmt.Errorf("console: command %q registered twice", c.Name)
	}
	cc := c
	s.cmds[c.Name] = &cc
	if len(words) == 2 {
		s.groups[words[0]] = append(s.groups[words[0]], words[1])
		sort.Strings(s.groups[words[0]])
	}
	return nil
}

// MustAdd is Add for the image's own static table, where an error is a bug.
func (s *Shell) MustAdd(c Cmd) {
	if err := s.Add(c); err != nil {
		panic(err)
	}
}

// Exec parses and runs one line. Blank lines do nothing; a comment starts
// with a '#' at the beginning of a word and runs to the end of the line
// ("pmm write blk a#b" writes "a#b").
func (s *Shell) Exec(out io.Writer, line string) error {
	line = stripComment(line)
	f := strings.Fields(line)
	if len(f) == 0 {
		return nil
	}
	s.mu.RLock()
	closed := s.closed
	s.mu.RUnlock()
	if closed != nil {
		return closed
	}
	c, args, err := s.lookup(f)
	if err != nil {
		return err
	}
	if len(args) < c.MinArgs || (c.MaxArgs >= 0 && len(args) > c.MaxArgs) {
		return fmt.Errorf("%w: %s", ErrUsage, strings.TrimSpace(c.Name+" "+c.Syntax))
	}
	return c.Fn(out, args)
}

// Close refuses, with why, every line executed from now on, on every
// session: once the board goes down, nothing typed runs any more, not even
// what a session had read ahead. Commands already running go on.
func (s *Shell) Close(why error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.closed = why
}

func (s *Shell) lookup(f []string) (*Cmd, []string, error) {
	s.mu.RLock()
	defer s.mu.RUnlock()
	if len(f) >= 2 {
		if c, ok := s.cmds[f[0]+" "+f[1]]; ok {
			return c, f[2:], nil
		}
	}
	if c, ok := s.cmds[f[0]]; ok {
		return c, f[1:], nil
	}
	if subs, ok := s.groups[f[0]]; ok {
		if len(f) == 1 {
			return nil, nil, fmt.Errorf("%w: %s %s", ErrUsage, f[0], strings.Join(subs, "|"))
		}
		return nil, nil, fmt.Errorf("%w %s (%s takes %s)", ErrUnknown, Quote(f[0]+" "+f[1]), f[0], strings.Join(subs, "|"))
	}
	return nil, nil, fmt.Errorf("%w %s (try help)", ErrUnknown, Quote(f[0]))
}

// Quote shows user input safely: printable as is, anything else escaped,
// and long input cut, so a line of garbage cannot garble the terminal.
func Quote(s string) string {
	const max = 40
	cut := ""
	if len(s) > max {
		s, cut = s[:max], "…"
	}
	if !utf8.ValidString(s) {
		s = strings.ToValidUTF8(s, "\uFFFD")
	}
	return strconv.QuoteToASCII(s) + cut
}

// stripComment cuts line at the first '#' that starts a word.
func stripComment(line string) string {
	for i := 0; i < len(line); i++ {
		if line[i] == '#' && (i == 0 || line[i-1] == ' ' || line[i-1] == '\t') {
			return line[:i]
		}
	}
	return line
}

// Restrict returns a new shell for a reduced mode: the commands of s that
// keep accepts, as they are, and every other one answering refuse(name)
// whatever its arguments, so that a mode has one table (and one help) in
// place of a guard in each command. help, exit, logout and log are the new
// shell's own.
func (s *Shell) Restrict(keep func(name string) bool, refuse func(name string) error) *Shell {
	r := New()
	s.mu.RLock()
	defer s.mu.RUnlock()
	for name, c := range s.cmds {
		if _, own := r.cmds[name]; own {
			continue // help and the session's commands
		}
		cc := *c
		if !keep(name) {
			cc.Syntax, cc.MinArgs, cc.MaxArgs = "", 0, -1
			cc.Help = "(unavailable in this mode) " + c.Help
			cc.Fn = func(io.Writer, []string) error { return refuse(name) }
		}
		r.MustAdd(cc)
	}
	return r
}
