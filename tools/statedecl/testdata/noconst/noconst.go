package noconst

import "github.com/hotrestart/tamago-hr/actors"

type st struct{ Count uint32 }

func Opt(name string) actors.ProgramOption { return actors.WithState[st](name) }
