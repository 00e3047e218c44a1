package main

import (
	"encoding/json"
	"os"
	"path/filepath"
	"slices"
	"sort"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	bl "github.com/lifecyclecheck/lifecyclecheck/internal/baseline"
	"github.com/lifecyclecheck/lifecyclecheck/internal/driver"
)

func TestBaselineRoundTrip(t *testing.T) {
	t.Parallel()
	dir := writeModule(t, map[string]string{
		"conns/conns.go": connsGo,
		"more/more.go":   strings.Replace(connsGo, "package conns", "package more", 1),
	})
	findings := findingsIn(t, dir)
	require.Len(t, findings, 2)
	path := filepath.Join(t.TempDir(), "baseline.json")
	require.NoError(t, writeBaseline(path, findings))
	b, err := readBaseline(path)
	require.NoError(t, err)
	assert.Empty(t, filterBaseline(b, findings))

	// A line above every finding: all still in the baseline.
	for _, f := range slices.Backward(findings) {
		insertLine(t, f.diag.Posn.Filename, f.diag.Posn.Line, "\t// moved")
	}
	moved := findingsIn(t, dir)
	require.Len(t, moved, 2)
	assert.NotEqual(t, findings[0].diag.Posn.Line, moved[0].diag.Posn.Line)
	assert.Empty(t, filterBaseline(b, moved))

	// A new bug is the one finding left.
	conns := filepath.Join(dir, "conns", "conns.go")
	data, err := os.ReadFile(conns)
	require.NoError(t, err)
	require.NoError(t, os.WriteFile(conns, append(data, leakGo...), 0o644))
	fresh := filterBaseline(b, findingsIn(t, dir))
	require.Len(t, fresh, 1)
	assert.Equal(t, "Leak", fresh[0].diag.Function)
	assert.Equal(t, "conns/conns.go", fresh[0].file)
}

// sameFinding returns n findings of one check in one function with one
// message, on successive lines.
func sameFinding(n int) []finding {
	var fs []finding
	for i := range n {
		f := finding{check: "freed", file: "a/a.go", diag: driver.Diagnostic{Function: "F", Message: "x freed by pool.Put while still in index m (inserted at a.go:3)"}}
		f.diag.Posn.Filename, f.diag.Posn.Line = "/src/a/a.go", 10+i
		fs = append(fs, f)
	}
	return fs
}

func TestBaselineCountsDuplicates(t *testing.T) {
	t.Parallel()
	b := newBaseline(sameFinding(2))
	require.Len(t, b.Findings, 1)
	assert.Equal(t, 2, b.Findings[0].Count)

	left := filterBaseline(b, sameFinding(3))
	require.Len(t, left, 1)
	assert.Equal(t, 12, left[0].diag.Posn.Line, "the last one by position is reported")
	assert.Empty(t, filterBaseline(b, sameFinding(2)))
	assert.Empty(t, filterBaseline(b, sameFinding(1)))
}

func TestBaselineIsDeterministic(t *testing.T) {
	t.Parallel()
	var fs []finding
	for _, fn := range []string{"C", "A", "B"} {
		f := sameFinding(1)[0]
		f.diag.Function = fn
		fs = append(fs, f)
	}
	first, err := json.Marshal(newBaseline(fs))
	require.NoError(t, err)
	slices.Reverse(fs)
	second, err := json.Marshal(newBaseline(fs))
	require.NoError(t, err)
	assert.Equal(t, string(first), string(second))

	var b baseline
	require.NoError(t, json.Unmarshal(first, &b))
	assert.Equal(t, bl.Version, b.Version)
	assert.True(t, sort.SliceIsSorted(b.Findings, func(i, j int) bool { return b.Findings[i].Function < b.Findings[j].Function }))
	assert.NotContains(t, string(first), "a.go:3", "no line numbers in the file")
}

func TestReadBaselineRejectsOtherVersions(t *testing.T) {
	t.Parallel()
	path := filepath.Join(t.TempDir(), "b.json")
	require.NoError(t, os.WriteFile(path, []byte(`{"version": 2, "findings": []}`), 0o644))
	_, err := readBaseline(path)
	require.ErrorContains(t, err, "baseline version 2")

	require.NoError(t, os.WriteFile(path, []byte(`[]`), 0o644))
	_, err = readBaseline(path)
	require.ErrorContains(t, err, "not a lifecyclecheck baseline")
}
