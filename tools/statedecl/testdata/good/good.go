package good

import "github.com/hotrestart/tamago-hr/actors"

type Old struct {
	Label [4]byte
	N     uint16
}

type St struct {
	Name [4]byte `hr:"was=Label,Tag"`
	N    int32
	In   struct{ On bool }
}

func register(p *actors.Programs) error {
	if err := actors.RegisterMigration(p, func(o Old) (St, error) { return St{Name: o.Label}, nil }); err != nil {
		return err
	}
	return p.Register("good", func(*actors.Context) error { return nil }, "", actors.WithState[St]("GOOD"), actors.WithState[Old]("OLD"))
}

var _ = register
