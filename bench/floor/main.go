// Command floor is the baseline lifecyclecheck is measured against: an
// analyzer that only builds SSA. It declares a fact type, as lifecyclecheck
// does, so the driver runs it on the same packages (dependencies included).
package main

import (
	"golang.org/x/tools/go/analysis"
	"golang.org/x/tools/go/analysis/passes/buildssa"
	"golang.org/x/tools/go/analysis/singlechecker"
)

type noFact struct{ Unused bool }

func (*noFact) AFact() {}

func main() {
	singlechecker.Main(&analysis.Analyzer{
		Name:      "floor",
		Doc:       "floor builds SSA and does nothing else: the cost floor of an SSA analyzer",
		Requires:  []*analysis.Analyzer{buildssa.Analyzer},
		FactTypes: []analysis.Fact{new(noFact)},
		Run:       func(*analysis.Pass) (any, error) { return nil, nil },
	})
}
