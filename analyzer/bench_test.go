package analyzer_test

import (
	"testing"

	"golang.org/x/tools/go/analysis"
	"golang.org/x/tools/go/analysis/checker"
	"golang.org/x/tools/go/analysis/passes/buildssa"
	"golang.org/x/tools/go/packages"

	"github.com/lifecyclecheck/lifecyclecheck/analyzer"
)

type noFact struct{ Unused bool }

func (*noFact) AFact() {}

// floor builds SSA and nothing else; it declares a fact type so that it
// runs on the same packages (dependencies included) as lifecyclecheck.
func floor() *analysis.Analyzer {
	return &analysis.Analyzer{
		Name:      "floor",
		Doc:       "builds SSA only",
		Requires:  []*analysis.Analyzer{buildssa.Analyzer},
		FactTypes: []analysis.Fact{new(noFact)},
		Run:       func(*analysis.Pass) (any, error) { return nil, nil },
	}
}

// benchmark loads the sample once, then times whole analysis runs (SSA
// construction included, as a driver does it).
func benchmark(b *testing.B, a func() *analysis.Analyzer) {
	pkgs, err := packages.Load(&packages.Config{Mode: packages.LoadAllSyntax}, stdSample...)
	if err != nil || packages.PrintErrors(pkgs) > 0 {
		b.Fatalf("loading: %v", err)
	}
	b.ResetTimer()
	for range b.N {
		if _, err := checker.Analyze([]*analysis.Analyzer{a()}, pkgs, nil); err != nil {
			b.Fatal(err)
		}
	}
}

// Compare with: go test ./analyzer -run '^$' -bench . -benchmem
func BenchmarkFloorBuildSSA(b *testing.B) { benchmark(b, floor) }

func BenchmarkLifecyclecheck(b *testing.B) {
	benchmark(b, func() *analysis.Analyzer { return analyzer.New(analyzer.Config{}) })
}
