package analyzer

import "golang.org/x/tools/go/analysis"

const doc = "lifecyclecheck reports objects freed while still in an index"

// Summary is a placeholder, replaced by the real fact type.
type Summary struct{ Effects []string }

func (*Summary) AFact() {}

func run(pass *analysis.Pass, cfg Config) (any, error) { return nil, nil }
