package analyzer_test

import (
	"os"
	"path/filepath"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	"golang.org/x/tools/go/analysis"
	"golang.org/x/tools/go/analysis/checker"
	"golang.org/x/tools/go/packages"

	"github.com/lifecyclecheck/lifecyclecheck/analyzer"
)

const backPointerSrc = `package bp

type clearer interface{ clearStream(id int) }

type Stream struct {
	id int
	c  clearer
}

func (s *Stream) Close() error {
	s.c.clearStream(s.id)
	return nil
}

type RawConn struct{ streams map[int]*Stream }

func (c *RawConn) clearStream(id int) { delete(c.streams, id) }

func (c *RawConn) track(id int) *Stream {
	s := &Stream{id: id, c: c}
	c.streams[id] = s
	return s
}

func (c *RawConn) Handle(id int) {
	s := c.track(id)
	s.Close()
}
`

const mockSrc = `package bp

type mockClearer struct{ cleared []int }

func (m *mockClearer) clearStream(id int) { m.cleared = append(m.cleared, id) }
`

// TestMockIsNoImplementation: a mock declared in a _test.go file for the
// package's tests does not make the package's interface ambiguous, so the
// test variant of the package resolves the back-pointer as the package
// does (quic-go's streamClearer and its mock) and stays silent.
func TestMockIsNoImplementation(t *testing.T) {
	if testing.Short() {
		t.Skip("loads a package with its tests")
	}
	dir := t.TempDir()
	require.NoError(t, os.WriteFile(filepath.Join(dir, "go.mod"), []byte("module bp\n\ngo 1.26\n"), 0o644))
	require.NoError(t, os.WriteFile(filepath.Join(dir, "bp.go"), []byte(backPointerSrc), 0o644))
	require.NoError(t, os.WriteFile(filepath.Join(dir, "mock_test.go"), []byte(mockSrc), 0o644))
	pkgs, err := packages.Load(&packages.Config{Mode: packages.LoadAllSyntax, Dir: dir, Tests: true}, ".")
	require.NoError(t, err)
	require.Zero(t, packages.PrintErrors(pkgs))
	g, err := checker.Analyze([]*analysis.Analyzer{analyzer.New(analyzer.Config{})}, pkgs, nil)
	require.NoError(t, err)
	variants := 0
	for act := range g.All() {
		if act.Analyzer.Name != analyzer.Name || act.Package.Name != "bp" {
			continue
		}
		variants++
		for _, d := range act.Diagnostics {
			assert.Fail(t, "unexpected report", "%s: %s", act.Package.ID, d.Message)
		}
	}
	assert.Equal(t, 2, variants, "the package and its test variant")
}
