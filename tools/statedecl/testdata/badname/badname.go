package badname

import "github.com/hotrestart/tamago-hr/actors"

type st struct{ Count uint32 }

var Opt = actors.WithState[st]("A=B\nstate.X=00")
