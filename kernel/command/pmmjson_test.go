package command

import (
	"encoding/json"
	"fmt"
	"slices"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/hotrestart/tamago-hr/pmm"
)

// The pmm ls encoder, byte for byte, and on a host bank.
func TestPmmLsJSONLine(t *testing.T) {
	b, err := NewPmmLsJSON([]pmm.BlockInfo{{Name: "app", Key: "appkey", Owner: pmm.User, FirstPage: 5, Pages: 2}},
		[]pmm.Quarantined{{Slot: 3, Name: "kv", FirstPage: 9, Pages: 1, Why: "bad checksum"}}).Line()
	require.NoError(t, err)
	assert.Equal(t, `{"blocks":[{"name":"app","key":"appkey","owner":"user","first_page":5,"pages":2,"bytes":8192}],`+
		`"quarantined":[{"slot":3,"name":"kv","first_page":9,"pages":1,"bytes":4096,"why":"bad checksum"}]}`+"\n", string(b))

	sh, _, _ := newHost(t)
	require.Equal(t, "allocated app: 2 pages (8192 bytes)\n", exec(t, sh, "pmm alloc app 8000 appkey"))
	var ls PmmLsJSON
	require.NoError(t, json.Unmarshal([]byte(exec(t, sh, "pmm ls -json")), &ls))
	i := slices.IndexFunc(ls.Blocks, func(b pmmBlockJSON) bool { return b.Name == "app" })
	require.GreaterOrEqual(t, i, 0, "%+v", ls.Blocks)
	assert.Equal(t, pmmBlockJSON{Name: "app", Key: "appkey", Owner: "user", FirstPage: ls.Blocks[i].FirstPage, Pages: 2, Bytes: 8192}, ls.Blocks[i])
	assert.Regexp(t, fmt.Sprintf(`(?m)^app +appkey +user +%d +2 +8192$`, ls.Blocks[i].FirstPage), exec(t, sh, "pmm ls"))
	assert.Equal(t, []pmmQuarantinedJSON{}, ls.Quarantined)
	assert.Equal(t, "error: usage: pmm ls [-json]", exec(t, sh, "pmm ls -x"))
}
