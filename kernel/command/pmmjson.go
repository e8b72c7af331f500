package command

import (
	"github.com/hotrestart/tamago-hr/kernel/console"
	"github.com/hotrestart/tamago-hr/pmm"
)

// PmmLsJSON is `pmm ls -json`: one object on one line, the blocks in
// `pmm ls`'s order and the damaged records withheld; sizes in bytes.
type PmmLsJSON struct {
	Blocks      []pmmBlockJSON       `json:"blocks"`
	Quarantined []pmmQuarantinedJSON `json:"quarantined"`
}

type pmmBlockJSON struct {
	Name      string `json:"name"`
	Key       string `json:"key"`   // deletion key
	Owner     string `json:"owner"` // user or system
	FirstPage int    `json:"first_page"`
	Pages     int    `json:"pages"`
	Bytes     int    `json:"bytes"`
}

type pmmQuarantinedJSON struct {
	Slot      int    `json:"slot"` // for pmm release SLOT
	Name      string `json:"name"` // as read, unverified; "" when unreadable
	FirstPage int    `json:"first_page"`
	Pages     int    `json:"pages"` // withheld
	Bytes     int    `json:"bytes"`
	Why       string `json:"why"` // the check that failed
}

func (j PmmLsJSON) Line() ([]byte, error) { return console.JSONLine(j) }

// NewPmmLsJSON is `pmm ls -json` of blocks and the damaged records.
func NewPmmLsJSON(blocks []pmm.BlockInfo, damaged []pmm.Quarantined) PmmLsJSON {
	j := PmmLsJSON{Blocks: []pmmBlockJSON{}, Quarantined: []pmmQuarantinedJSON{}}
	for _, b := range blocks {
		j.Blocks = append(j.Blocks, pmmBlockJSON{Name: b.Name, Key: b.Key, Owner: b.Owner.String(),
			FirstPage: b.FirstPage, Pages: b.Pages, Bytes: b.Pages * pmm.PageSize})
	}
	for _, q := range damaged {
		j.Quarantined = append(j.Quarantined, pmmQuarantinedJSON{Slot: q.Slot, Name: q.Name,
			FirstPage: q.FirstPage, Pages: q.Pages, Bytes: q.Pages * pmm.PageSize, Why: q.Why})
	}
	return j
}
