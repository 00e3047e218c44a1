package analyzer_test

import (
	"path/filepath"
	"testing"

	"golang.org/x/tools/go/analysis/analysistest"

	"github.com/lifecyclecheck/lifecyclecheck/analyzer"
)

func testdata() string {
	dir, err := filepath.Abs(filepath.Join("..", "testdata"))
	if err != nil {
		panic(err)
	}
	return dir
}

func TestMapKind(t *testing.T) {
	analysistest.Run(t, testdata(), analyzer.New(analyzer.Config{}), "mapkind")
}

func TestSyncMap(t *testing.T) {
	analysistest.Run(t, testdata(), analyzer.New(analyzer.Config{}), "syncmap")
}

func TestList(t *testing.T) {
	analysistest.Run(t, testdata(), analyzer.New(analyzer.Config{}), "listkind")
}

func TestDirectives(t *testing.T) {
	analysistest.Run(t, testdata(), analyzer.New(analyzer.Config{}), "directives", "badirectives")
}

func TestChains(t *testing.T) {
	analysistest.Run(t, testdata(), analyzer.New(analyzer.Config{}), "chains")
}

func TestClosures(t *testing.T) {
	analysistest.Run(t, testdata(), analyzer.New(analyzer.Config{}), "closures")
}

func TestGenerics(t *testing.T) {
	analysistest.Run(t, testdata(), analyzer.New(analyzer.Config{}), "generics")
}

func TestCrossPackage(t *testing.T) {
	analysistest.Run(t, testdata(), analyzer.New(analyzer.Config{}), "crosspkg/tree", "crosspkg/app")
}

func TestSilent(t *testing.T) {
	analysistest.Run(t, testdata(), analyzer.New(analyzer.Config{}), "silent")
}

// TestResolvConf is HAProxy issue 2942 in Go: the insert is four calls deep
// under resolversNew, the free two calls deep under resolversDestroy.
func TestResolvConf(t *testing.T) {
	analysistest.Run(t, testdata(), analyzer.New(analyzer.Config{}), "resolvconf")
}

func TestSuggestedFixes(t *testing.T) {
	analysistest.RunWithSuggestedFixes(t, testdata(), analyzer.New(analyzer.Config{}), "fixes")
}

func TestLRUCache(t *testing.T) {
	analysistest.Run(t, testdata(), analyzer.New(analyzer.Config{}), "lrucache")
}
