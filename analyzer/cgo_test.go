package analyzer_test

import (
	"os/exec"
	"path/filepath"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
)

const cgoSrc = `package cgobug

// int twice(int x) { return 2 * x; }
import "C"

import "sync"

type Conn struct{ id string }

var (
	conns = map[string]*Conn{}
	pool  sync.Pool
)

func Open(id string) int {
	c := &Conn{id: id}
	conns[id] = c
	pool.Put(c)
	return int(C.twice(1))
}
`

// TestNoFixInCgoOutput: in a cgo package the analysed files are cgo's
// output, whose positions a //line directive maps back to the user's
// file; a fix there would edit the generated copy. The report is made,
// and every fix offered edits the user's own file.
func TestNoFixInCgoOutput(t *testing.T) {
	if testing.Short() {
		t.Skip("builds a cgo package")
	}
	if _, err := exec.LookPath("gcc"); err != nil {
		t.Skip("cgo needs a C compiler")
	}
	t.Setenv("CGO_ENABLED", "1")
	dir, acts := analyzeModule(t, "cgobug", map[string]string{"bug.go": cgoSrc}, false)
	var found bool
	for _, act := range acts {
		for _, d := range act.Diagnostics {
			found = found || strings.Contains(d.Message, "c freed by pool.Put")
			for _, fix := range d.SuggestedFixes {
				for _, e := range fix.TextEdits {
					name := act.Package.Fset.File(e.Pos).Name()
					assert.Equal(t, filepath.Join(dir, "bug.go"), name, "a fix edits cgo's output")
				}
			}
		}
	}
	assert.True(t, found, "the free in the cgo package is reported")
}
