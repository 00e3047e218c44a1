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
