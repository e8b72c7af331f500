package tunables

import (
	"go/parser"
	"go/token"
	"io/fs"
	"path/filepath"
	"strconv"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// Imports point down (board/README.md): no file under board/ imports the
// kernel, the actors or anything else of this module above the boards;
// what the kernel and a board both need is in a leaf under board/.
func TestBoardsImportNothingAbove(t *testing.T) {
	const module = "github.com/hotrestart/tamago-hr/"
	files := 0
	err := filepath.WalkDir("..", func(path string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() || !strings.HasSuffix(path, ".go") {
			return err
		}
		f, err := parser.ParseFile(token.NewFileSet(), path, nil, parser.ImportsOnly)
		require.NoError(t, err)
		files++
		for _, imp := range f.Imports {
			p, err := strconv.Unquote(imp.Path.Value)
			require.NoError(t, err)
			if strings.HasPrefix(p, module) && !strings.HasSuffix(path, "_test.go") {
				assert.True(t, strings.HasPrefix(p, module+"board/"), "%s imports %s", path, p)
			}
		}
		return nil
	})
	require.NoError(t, err)
	assert.Greater(t, files, 20, "the board tree was walked")
}
