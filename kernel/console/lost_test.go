package console

import (
	"io"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// lossyRW delivers chunks, one a Read, like the UART's receive buffer: a
// chunk that starts with lossMark comes after a loss (rxbuf.Buffer.Read
// never returns characters across one).
type lossyRW struct {
	chunks []string
	lost   uint64
	out    strings.Builder
}

const lossMark = "\x00LOSS"

func (r *lossyRW) Read(p []byte) (int, error) {
	if len(r.chunks) == 0 {
		return 0, io.EOF
	}
	c := r.chunks[0]
	if rest, ok := strings.CutPrefix(c, lossMark); ok {
		r.lost++
		c = rest
	}
	n := copy(p, c)
	if r.chunks[0] = c[n:]; n == len(c) {
		r.chunks = r.chunks[1:]
	}
	return n, nil
}

func (r *lossyRW) Write(p []byte) (int, error) { return r.out.Write(p) }
func (r *lossyRW) Lost() uint64                { return r.lost }

// A line that lost characters on the way in never runs, not even what is
// left of it: it is refused whole with one error, and the lines around it
// run.
func TestLineWithLostCharactersRefusedWhole(t *testing.T) {
	for name, tc := range map[string]struct {
		chunks []string
		want   []string
	}{
		"loss mid-line": {
			chunks: []string{"arun before\rarun pat", lossMark + "tern\rarun after\r"},
			want:   []string{"before", "after"},
		},
		"loss at a line's start": {
			chunks: []string{"arun before\r", lossMark + "ptime\rarun after\r"},
			want:   []string{"before", "after"},
		},
		"loss in the middle of a chunk's lines": {
			chunks: []string{"arun a\rarun b", lossMark + "c\r", "arun d\r"},
			want:   []string{"a", "d"},
		},
		"Ctrl-C after a loss discards without the error": {
			chunks: []string{"arun x", lossMark + "y\x03arun z\r"},
			want:   []string{"z"},
		},
		"a loss on a line too long still refuses it once": {
			chunks: []string{"arun " + strings.Repeat("x", 4100), lossMark + "x\rarun ok\r"},
			want:   []string{"ok"},
		},
	} {
		t.Run(name, func(t *testing.T) {
			sh, got := testShell(t)
			rw := &lossyRW{chunks: tc.chunks}
			require.NoError(t, NewSerialSession(rw).Serve(sh))
			assert.Equal(t, tc.want, *got)
			errs := strings.Count(rw.out.String(), "error: ")
			switch name {
			case "Ctrl-C after a loss discards without the error":
				assert.Equal(t, 0, errs)
			case "a loss on a line too long still refuses it once":
				assert.Equal(t, 1, errs)
				assert.Contains(t, rw.out.String(), "error: line too long")
			default:
				assert.Equal(t, 1, errs)
				assert.Contains(t, rw.out.String(), "error: "+ErrLineLost.Error()+"\r\n")
			}
		})
	}
}
