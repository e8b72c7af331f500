package bad

import "github.com/hotrestart/tamago-hr/actors"

type named struct {
	Count uint32
	Label string
}

var Opt = actors.WithState[named]("NAMED")
