package analyzer_test

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/stretchr/testify/require"
	"golang.org/x/tools/go/analysis"
	"golang.org/x/tools/go/analysis/checker"
	"golang.org/x/tools/go/packages"

	"github.com/lifecyclecheck/lifecyclecheck/analyzer"
)

// analyzeModule writes the module mod (go.mod and files, by slash path)
// into a new directory, loads it (with its tests when tests is set), runs
// lifecyclecheck on it and returns the directory and the actions of
// lifecyclecheck on the module's own packages (test variants included).
func analyzeModule(t *testing.T, mod string, files map[string]string, tests bool) (string, []*checker.Action) {
	t.Helper()
	dir := t.TempDir()
	require.NoError(t, os.WriteFile(filepath.Join(dir, "go.mod"), []byte("module "+mod+"\n\ngo 1.26\n"), 0o644))
	for name, src := range files {
		path := filepath.Join(dir, filepath.FromSlash(name))
		require.NoError(t, os.MkdirAll(filepath.Dir(path), 0o755))
		require.NoError(t, os.WriteFile(path, []byte(src), 0o644))
	}
	pkgs, err := packages.Load(&packages.Config{Mode: packages.LoadAllSyntax, Dir: dir, Tests: tests}, "./...")
	require.NoError(t, err)
	require.Zero(t, packages.PrintErrors(pkgs))
	g, err := checker.Analyze([]*analysis.Analyzer{analyzer.New(analyzer.Config{})}, pkgs, nil)
	require.NoError(t, err)
	var acts []*checker.Action
	for act := range g.All() {
		if act.Analyzer.Name == analyzer.Name && (act.Package.PkgPath == mod || strings.HasPrefix(act.Package.PkgPath, mod+"/")) {
			acts = append(acts, act)
		}
	}
	return dir, acts
}
