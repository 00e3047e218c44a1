package analyzer_test

import (
	"go/build"
	"go/importer"
	"go/token"
	"path/filepath"
	"testing"

	"github.com/stretchr/testify/require"

	"golang.org/x/tools/go/analysis/analysistest"

	"github.com/lifecyclecheck/lifecyclecheck/analyzer"
	"github.com/lifecyclecheck/lifecyclecheck/rules"
)

func testdata() string {
	dir, err := filepath.Abs(filepath.Join("..", "testdata"))
	if err != nil {
		panic(err)
	}
	return dir
}

// TestPackages runs the analyzer over each testdata package (several in
// one run where facts must cross packages) and checks every report and
// every fact against the // want comments.
func TestPackages(t *testing.T) {
	for name, pkgs := range map[string][]string{
		"map":         {"mapkind"},  // the map kind: inserts, deletes, reads, range, local slices
		"sync.Map":    {"syncmap"},  // Store, LoadOrStore, Load, LoadAndDelete, Swap, Clear
		"list":        {"listkind"}, // PushBack/Front, InsertBefore, Remove, Init, Element.Value
		"directives":  {"directives", "badirectives"},
		"chains":      {"chains"},   // inserts and frees one to four calls deep, recursion
		"closures":    {"closures"}, // defer, deferred closures, method values, loops, panics
		"generics":    {"generics"}, // facts on the origin, applied to instantiations
		"crosspkg":    {"crosspkg/tree", "crosspkg/store", "crosspkg/app"},
		"silent":      {"silent"},     // correct code that looks like the bug
		"resolvconf":  {"resolvconf"}, // HAProxy issue 2942
		"lrucache":    {"lrucache"},   // a map and a list over the same entries
		"closed":      {"closed"},     // objects closed while indexed, and correct code around closes
		"knownfalse":  {"knownfalse"}, // false-alarm classes still open (each report there is wrong)
		"undo":        {"undo"},       // a failing return that forgets the delete its sibling failing returns make
		"partial":     {"partial"},    // a removal from part of a group of indexes another function removes from together
		"partialx":    {"partialx/hub", "partialx/svc"},
		"unregister":  {"unregister"},  // a close method that leaves what the constructor registered
		"conditional": {"conditional"}, // effects a callee has on some paths only
		// Shapes of released bugs (../shared/realbugs), written by hand.
		"recall": {"recall/clientmap", "recall/handlers", "recall/handlersuse", "recall/dropped", "recall/asyncfuture", "recall/ctorfail/conn", "recall/ctorfail", "recall/served", "recall/silentreg", "recall/silentreal", "recall/scoped/store", "recall/scoped", "recall/inverse", "recall/reverse", "recall/retained", "recall/stalekeys", "recall/skipped", "recall/bulk", "recall/delegate", "recall/percall"},
		// Reproducers cut down from real modules (../shared/repro).
		"repro": {"repro/faa", "repro/fab", "repro/fad", "repro/fae", "repro/faf", "repro/fag", "repro/missundo", "repro/fah/dep", "repro/fah/user", "repro/fourconds", "repro/faj"},
	} {
		t.Run(name, func(t *testing.T) {
			t.Parallel()
			analysistest.Run(t, testdata(), analyzer.New(analyzer.Config{}), pkgs...)
		})
	}
}

// TestSuggestedFixes applies each report's fix and compares the result
// with the .golden file: a map or sync.Map delete placed before the free
// (only under the mutexes the insert held), for an intrusive node the
// unlink method called on the node right before the real free, down in
// the free helper (HAProxy's own fix), and for another package's index
// that package's exported remover (store.Remove(it)).
func TestSuggestedFixes(t *testing.T) {
	for _, pkgs := range [][]string{{"fixes"}, {"directives"}, {"resolvconf"}, {"crosspkg/tree", "crosspkg/store", "crosspkg/app"}} {
		t.Run(pkgs[len(pkgs)-1], func(t *testing.T) {
			t.Parallel()
			analysistest.RunWithSuggestedFixes(t, testdata(), analyzer.New(analyzer.Config{}), pkgs...)
		})
	}
}

// TestRulesFileOnInterface: a free declared on (io.Closer).Close applies to
// calls through the interface, and where the concrete type is known its
// own Close, which unregisters itself first, applies too (repro fac).
func TestRulesFileOnInterface(t *testing.T) {
	set := rulesFrom(t, filepath.Join(testdata(), "src", "repro", "fac", "rules.yaml"))
	analysistest.Run(t, testdata(), analyzer.New(analyzer.Config{Rules: set}), "repro/fac")
}

// TestRulesOverrideLearned: op: keep in the rules file replaces the close
// a summary learned for that parameter; a method with no rule keeps its
// learned close.
func TestRulesOverrideLearned(t *testing.T) {
	// The rules name a package of testdata's GOPATH: resolve them there.
	t.Setenv("GO111MODULE", "off")
	gopath := build.Default.GOPATH
	build.Default.GOPATH = testdata()
	t.Cleanup(func() { build.Default.GOPATH = gopath })
	set := rulesFrom(t, filepath.Join(testdata(), "src", "override", "rules.yaml"))
	analysistest.Run(t, testdata(), analyzer.New(analyzer.Config{Rules: set}), "override/amqp", "override/consumer")
}

// rulesFrom reads a rules file and resolves it against the standard
// library's packages, type-checked from source.
func rulesFrom(t *testing.T, path string) *rules.Set {
	t.Helper()
	file, err := rules.LoadFile(path)
	require.NoError(t, err)
	base, err := rules.Builtin()
	require.NoError(t, err)
	imp := importer.ForCompiler(token.NewFileSet(), "source", nil)
	set, err := file.Resolve(base, imp.Import)
	require.NoError(t, err)
	return set
}

// TestDeclaredGroups: a group of indexes declared in the rules file
// (groups:) is evidence for the partial check where no function of the
// package removes an object from all of them.
func TestDeclaredGroups(t *testing.T) {
	set, err := rules.Builtin()
	require.NoError(t, err)
	set.Groups = [][]string{{"partialdecl.Table.byAddr", "partialdecl.Table.byID"}}
	analysistest.Run(t, testdata(), analyzer.New(analyzer.Config{Rules: set}), "partialdecl")
}
