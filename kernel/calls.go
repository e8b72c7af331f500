package kernel

import (
	"errors"

	"github.com/hotrestart/tamago-hr/actors"
)

// Controller is the running hot restart controller, for an image's console
// commands (Config.Commands, on the serial console and over SSH alike) to
// call its services with actors.Call. It is an error until the controller
// has started, and for good when the bank is unusable.
func Controller() (*actors.Controller, error) {
	k := current.Load()
	if k == nil || k.ctl == nil {
		return nil, errors.New("no controller (bank unusable)")
	}
	return k.ctl, nil
}
