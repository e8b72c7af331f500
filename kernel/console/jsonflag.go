package console

import (
	"encoding/json"
	"fmt"
	"io"
)

// JSONFlag reads the one optional argument of a listing: "-json" asks for
// its machine-readable form (README, "Machine-readable listings"); any
// other argument is ErrUsage naming cmd.
func JSONFlag(cmd string, args []string) (bool, error) {
	switch {
	case len(args) == 0:
		return false, nil
	case len(args) == 1 && args[0] == "-json":
		return true, nil
	}
	return false, fmt.Errorf("%w: %s [-json]", ErrUsage, cmd)
}

// WriteLine writes what line encodes, or nothing when it fails: a script
// reads one whole JSON line or an error, never half a line.
func WriteLine(out io.Writer, line func() ([]byte, error)) error {
	b, err := line()
	if err != nil {
		return fmt.Errorf("json: %w", err)
	}
	_, err = out.Write(b)
	return err
}

// JSONLine is v as one line of JSON, newline included.
func JSONLine(v any) ([]byte, error) {
	b, err := json.Marshal(v)
	return append(b, '\n'), err
}
