package console

import (
	"fmt"
	"io"
	"sort"
	"strings"
	"unicode/utf8"
)

// Columns is the terminal width that help and every usage line fit in: a
// serial terminal's, and OpenSSH's when the client says nothing.
const Columns = 80

// syntaxColumn is the widest "name syntax" that shares its line with the
// help text; a longer one gets a line of its own.
const syntaxColumn = 30

// Commands returns a copy of the table, sorted by name.
func (s *Shell) Commands() []Cmd {
	s.mu.RLock()
	out := make([]Cmd, 0, len(s.cmds))
	for _, c := range s.cmds {
		out = append(out, *c)
	}
	s.mu.RUnlock()
	sort.Slice(out, func(i, j int) bool { return out[i].Name < out[j].Name })
	return out
}

// Usage is the usage line of c, as Exec reports a wrong argument count.
func (c Cmd) Usage() string { return strings.TrimSpace(c.Name + " " + c.Syntax) }

// Help writes every command, sorted, with its syntax and help text, in
// Columns columns (writeHelp).
func (s *Shell) Help(out io.Writer) { writeHelp(out, s.Commands()) }

// writeHelp lays cmds out in Columns columns: the help text starts in one
// column for all and wraps at spaces; a syntax too wide for that column is
// on a line of its own.
func writeHelp(out io.Writer, cmds []Cmd) {
	width := 0
	for _, c := range cmds {
		if w := utf8.RuneCountInString(c.Usage()); w <= syntaxColumn && w > width {
			width = w
		}
	}
	indent := strings.Repeat(" ", width+2)
	for _, c := range cmds {
		u := c.Usage()
		lines := wrap(c.Help, Columns-len(indent))
		if utf8.RuneCountInString(u) > width {
			fmt.Fprintln(out, u)
		} else if len(lines) > 0 {
			fmt.Fprintf(out, "%s%s%s\n", u, strings.Repeat(" ", width+2-utf8.RuneCountInString(u)), lines[0])
			lines = lines[1:]
		} else {
			fmt.Fprintln(out, u)
		}
		for _, l := range lines {
			fmt.Fprintf(out, "%s%s\n", indent, l)
		}
	}
}

// wrap breaks text at spaces into lines of at most width columns; a word
// longer than width stands alone on its line.
func wrap(text string, width int) []string {
	var lines []string
	line := ""
	for _, w := range strings.Fields(text) {
		switch {
		case line == "":
			line = w
		case utf8.RuneCountInString(line)+1+utf8.RuneCountInString(w) <= width:
			line += " " + w
		default:
			lines = append(lines, line)
			line = w
		}
	}
	if line != "" {
		lines = append(lines, line)
	}
	return lines
}
