package analyzer_test

import (
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	"golang.org/x/tools/go/analysis"
	"golang.org/x/tools/go/analysis/checker"
	"golang.org/x/tools/go/packages"

	"github.com/lifecyclecheck/lifecyclecheck/analyzer"
)

// analyze runs a on the packages matching patterns (and, for facts, on
// their dependencies) and returns the root packages' diagnostics.
func analyze(t testing.TB, a *analysis.Analyzer, patterns ...string) map[string][]analysis.Diagnostic {
	t.Helper()
	pkgs, err := packages.Load(&packages.Config{Mode: packages.LoadAllSyntax, Tests: false}, patterns...)
	require.NoError(t, err)
	require.Zero(t, packages.PrintErrors(pkgs), "packages must load cleanly")
	graph, err := checker.Analyze([]*analysis.Analyzer{a}, pkgs, nil)
	require.NoError(t, err)
	out := make(map[string][]analysis.Diagnostic)
	for act := range graph.All() {
		require.NoError(t, act.Err, "%s", act)
		if act.IsRoot && act.Analyzer == a && len(act.Diagnostics) > 0 {
			out[act.Package.PkgPath] = act.Diagnostics
		}
	}
	return out
}

// TestProxyModelIsClean: the fixed model deletes every name node before it
// frees the proxy, and the checker must agree.
func TestProxyModelIsClean(t *testing.T) {
	diags := analyze(t, analyzer.New(analyzer.Config{}), "github.com/lifecyclecheck/lifecyclecheck/proxymodel")
	assert.Empty(t, diags)
}

// stdSample are standard packages that use maps, sync.Map, sync.Pool and
// container/list heavily; with their dependencies they are a third of std.
var stdSample = []string{
	"net/http", "database/sql", "go/types", "encoding/json", "text/template",
	"container/list", "sync", "expvar", "runtime/pprof", "crypto/tls", "net/http/httptest",
}

// TestStandardLibrary runs the pass over real code to prove it neither
// panics nor errs, and that it reports nothing there: every standard
// library report found so far was reviewed and is listed in the README.
func TestStandardLibrary(t *testing.T) {
	if testing.Short() {
		t.Skip("loads a third of the standard library")
	}
	diags := analyze(t, analyzer.New(analyzer.Config{}), stdSample...)
	for pkg, ds := range diags {
		for _, d := range ds {
			t.Errorf("%s: unexpected report: %s", pkg, d.Message)
		}
	}
}
