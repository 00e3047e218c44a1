package analyzer_test

import (
	"flag"
	"os"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	"golang.org/x/tools/go/analysis"
	"golang.org/x/tools/go/analysis/analysistest"

	"github.com/lifecyclecheck/lifecyclecheck/analyzer"
	"github.com/lifecyclecheck/lifecyclecheck/rules"
)

// TestCheckDocExamples runs the analyzer on each check's documented
// example: it reports what the example's expectation says, and the
// report the documentation shows is the one it makes.
func TestCheckDocExamples(t *testing.T) {
	docs := analyzer.CheckDocs()
	require.Len(t, docs, len(rules.Checks()))
	for _, d := range docs {
		t.Run(d.Check, func(t *testing.T) {
			dir := t.TempDir()
			pkg := filepath.Join(dir, "src", "example")
			require.NoError(t, os.MkdirAll(pkg, 0o755))
			require.NoError(t, os.WriteFile(filepath.Join(pkg, "example.go"), []byte(analyzer.CheckExample(d.Check)), 0o644))
			set, err := rules.Builtin()
			require.NoError(t, err)
			results := analysistest.Run(t, dir, analyzer.New(analyzer.Config{Rules: set}), "example")
			var got []string
			for _, r := range results {
				for _, diag := range r.Diagnostics {
					// Every finding has a fix, or says why it has none.
					hasReason := slices.ContainsFunc(diag.Related, func(rel analysis.RelatedInformation) bool {
						return strings.HasPrefix(rel.Message, "no automatic fix: ")
					})
					assert.True(t, len(diag.SuggestedFixes) > 0 || hasReason, "%s: no fix and no reason", diag.Message)
					posn := r.Pass.Fset.Position(diag.Pos)
					got = append(got, filepath.Base(posn.Filename)+":"+itoa(posn.Line)+":"+itoa(posn.Column)+": "+diag.Message)
				}
			}
			assert.Contains(t, got, d.Report, "the report docs/checks.md shows for %s", d.Check)
			assert.NotContains(t, d.Example, "// want")
			assert.Contains(t, d.Text, d.Title)
		})
	}
}

func itoa(i int) string { return strconv.Itoa(i) }

var update = flag.Bool("update", false, "rewrite docs/checks.md from the checks' documentation")

// TestChecksMarkdown: docs/checks.md is generated from the checks'
// documentation (go test ./analyzer -run TestChecksMarkdown -update).
func TestChecksMarkdown(t *testing.T) {
	var b strings.Builder
	b.WriteString("# The checks\n\n<!-- Generated from the checks' documentation (analyzer/internal/checks): go test ./analyzer -run TestChecksMarkdown -update -->\n\n")
	b.WriteString("Each report names its check; `lifecyclecheck -explain CHECK` prints the same text.\n\n")
	for _, d := range analyzer.CheckDocs() {
		b.WriteString(d.Markdown)
		b.WriteString("\n")
	}
	path := filepath.Join("..", "docs", "checks.md")
	if *update {
		require.NoError(t, os.MkdirAll(filepath.Dir(path), 0o755))
		require.NoError(t, os.WriteFile(path, []byte(b.String()), 0o644))
	}
	got, err := os.ReadFile(path)
	require.NoError(t, err, "run go test ./analyzer -run TestChecksMarkdown -update")
	assert.Equal(t, b.String(), string(got), "docs/checks.md is stale: go test ./analyzer -run TestChecksMarkdown -update")
}
