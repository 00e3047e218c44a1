package analyzer

import (
	"flag"
	"reflect"
	"strings"

	"golang.org/x/tools/go/analysis"
	"golang.org/x/tools/go/analysis/passes/buildssa"

	"github.com/lifecyclecheck/lifecyclecheck/rules"
)

// Name is the analyzer's name, as it appears in reports and in
// //nolint:lifecyclecheck.
const Name = "lifecyclecheck"

// Config is what a driver passes to New.
type Config struct {
	// Rules are the operations of functions the analyzer cannot learn from
	// source: the built-in kinds plus the rules file. Nil means all
	// built-in kinds and no rules file.
	Rules *rules.Set
	// Checks selects the checks that report (see rules.Checks); nil
	// selects every check.
	Checks rules.CheckSet
	// Excluded, when not nil, says which files' findings are left out
	// (the exclude: globs of the configuration), by absolute path.
	Excluded func(filename string) bool
	// Baseline, when not nil, holds the findings a baseline file records,
	// by fingerprint (see internal/baseline): those are not reported. The
	// standalone command filters its findings itself; go vet and
	// golangci-lint runs pass the baseline here.
	Baseline map[string]int
	// ModuleRoot is the directory the baseline's file names are relative to.
	ModuleRoot string
}

// Analyzer is lifecyclecheck with the built-in kinds, no rules file and
// every check, for drivers that take a package-level analyzer (rules_go's
// nogo, multichecker). It holds no state between runs; New gives one with
// a configuration.
var Analyzer = New(Config{})

// New returns the lifecyclecheck analyzer for cfg. Every call returns a new
// analyzer with no state shared with the others.
func New(cfg Config) *analysis.Analyzer {
	if cfg.Rules == nil {
		cfg.Rules, _ = rules.Builtin()
	}
	a := &analysis.Analyzer{
		Name:       Name,
		Doc:        doc,
		URL:        "https://pkg.go.dev/github.com/lifecyclecheck/lifecyclecheck/analyzer",
		Requires:   []*analysis.Analyzer{buildssa.Analyzer},
		FactTypes:  []analysis.Fact{new(Summary)},
		ResultType: reflect.TypeFor[*Learned](),
		Flags:      flagSet(),
	}
	a.Run = func(pass *analysis.Pass) (any, error) { return run(pass, cfg) }
	return a
}

// flagSet declares the flags that drivers pass through; the driver (see
// cmd/lifecyclecheck) reads the rules file before any analysis runs, so
// the value is not used here.
func flagSet() flag.FlagSet {
	fs := flag.NewFlagSet(Name, flag.ExitOnError)
	fs.String("rules", "", "rules `file` (YAML) declaring insert/delete/free functions; relative to the module root (default .lifecyclecheck.yaml there)")
	fs.String("baseline", "", "under go vet: report only findings not recorded in this baseline `file` (relative to the module root; written by lifecyclecheck -write-baseline)")
	fs.String("checks", "all", "comma-separated `checks` to run: all, or names among "+strings.Join(rules.Checks(), ", ")+", each optionally prefixed with - to turn it off (all,-undo)")
	return *fs
}
