package kernel

import (
	"fmt"
	"io"

	"github.com/hotrestart/tamago-hr/kernel/console"
)

// jsonFlag reads the one optional argument of a listing: "-json" asks for
// its machine-readable form (README, "Machine-readable listings").
func jsonFlag(cmd string, args []string) (bool, error) {
	switch {
	case len(args) == 0:
		return false, nil
	case len(args) == 1 && args[0] == "-json":
		return true, nil
	}
	return false, fmt.Errorf("%w: %s [-json]", console.ErrUsage, cmd)
}

// writeLine writes what line encodes, or nothing when it fails: a script
// reads one whole JSON line or an error, never half a line.
func writeLine(out io.Writer, line func() ([]byte, error)) error {
	b, err := line()
	if err != nil {
		return fmt.Errorf("json: %w", err)
	}
	_, err = out.Write(b)
	return err
}
