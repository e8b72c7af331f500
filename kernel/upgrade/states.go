package upgrade

import (
	"encoding/hex"
	"fmt"
	"sort"
	"strings"
)

// Manifest keys that record the state types a build's programs declare
// (tools/statedecl, from actors.WithState and actors.RegisterMigration):
//
//	state.NAME=<layout>[ <layout>…]      the layouts declared for state NAME
//	statemig.N=<old layout> <new layout>  an explicit migration
//
// Layouts are actors' layout descriptors, in hex.
const (
	KeyStatePrefix     = "state."
	KeyMigrationPrefix = "statemig."
)

// StateDecls returns the declared layouts by state name and the explicit
// migrations (old and new layout) that m records; none for a build that
// declares none. A value that is not hex is ErrManifest.
func (m Manifest) StateDecls() (states map[string][][]byte, migs [][2][]byte, err error) {
	keys := make([]string, 0, len(m))
	for k := range m {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	for _, k := range keys {
		switch {
		case strings.HasPrefix(k, KeyStatePrefix):
			var ls [][]byte
			for _, f := range strings.Fields(m[k]) {
				b, err := hex.DecodeString(f)
				if err != nil {
					return nil, nil, fmt.Errorf("%w: %s: %v", ErrManifest, k, err)
				}
				ls = append(ls, b)
			}
			if states == nil {
				states = map[string][][]byte{}
			}
			states[strings.TrimPrefix(k, KeyStatePrefix)] = ls
		case strings.HasPrefix(k, KeyMigrationPrefix):
			f := strings.Fields(m[k])
			if len(f) != 2 {
				return nil, nil, fmt.Errorf("%w: %s: want two layouts", ErrManifest, k)
			}
			from, err1 := hex.DecodeString(f[0])
			to, err2 := hex.DecodeString(f[1])
			if err1 != nil || err2 != nil {
				return nil, nil, fmt.Errorf("%w: %s: not hex", ErrManifest, k)
			}
			migs = append(migs, [2][]byte{from, to})
		}
	}
	return states, migs, nil
}
