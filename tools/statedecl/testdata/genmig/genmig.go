package genmig

import "github.com/hotrestart/tamago-hr/actors"

func Reg[Old, New any](p *actors.Programs, f func(Old) (New, error)) error {
	return actors.RegisterMigration(p, f)
}
