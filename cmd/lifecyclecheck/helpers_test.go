package main

import (
	"io"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/lifecyclecheck/lifecyclecheck/analyzer"
	"github.com/lifecyclecheck/lifecyclecheck/internal/driver"
)

// connsGo is a package with one report: Drop frees c while byID holds it.
// It imports nothing, so that loading it is quick: release is a declared
// free.
const connsGo = `package conns

// Conn is a pooled connection.
type Conn struct{ ID string }

var byID = map[string]*Conn{}

// release hands c's memory out again.
//
//lifecycle:free c
func release(c *Conn) {}

// Drop frees c without deleting it from byID.
func Drop(id string) {
	c := &Conn{ID: id}
	byID[id] = c
	release(c)
}
`

// leakGo adds a second report, in another function.
const leakGo = `
// Leak frees c without deleting it from byID too.
func Leak(id string) {
	c := &Conn{ID: id}
	byID[id] = c
	release(c)
}
`

// writeModule writes the module example.com/m with the given files
// (slash paths) into a new directory and returns it.
func writeModule(t *testing.T, files map[string]string) string {
	t.Helper()
	dir := t.TempDir()
	files["go.mod"] = "module example.com/m\n\ngo 1.26\n"
	for name, content := range files {
		path := filepath.Join(dir, filepath.FromSlash(name))
		require.NoError(t, os.MkdirAll(filepath.Dir(path), 0o755))
		require.NoError(t, os.WriteFile(path, []byte(content), 0o644))
	}
	return dir
}

// findingsIn runs the analysis on ./... in dir, without tests and with a
// cache of its own, and returns its findings.
func findingsIn(t *testing.T, dir string) []finding {
	t.Helper()
	a := analyzer.New(analyzer.Config{})
	res, err := driver.Run([]string{"./..."}, a, driver.Options{Dir: dir, CacheDir: t.TempDir()})
	require.NoError(t, err)
	require.Zero(t, printLoadErrors(io.Discard, res.Roots, dir))
	require.Zero(t, printAnalysisErrors(io.Discard, res.Roots, a.Name))
	return collect(res.Roots)
}

// insertLine inserts text as a new line before line n (1-based) of the
// file at path.
func insertLine(t *testing.T, path string, n int, text string) {
	t.Helper()
	data, err := os.ReadFile(path)
	require.NoError(t, err)
	lines := strings.SplitAfter(string(data), "\n")
	require.LessOrEqual(t, n, len(lines))
	lines = append(lines[:n-1], append([]string{text + "\n"}, lines[n-1:]...)...)
	require.NoError(t, os.WriteFile(path, []byte(strings.Join(lines, "")), 0o644))
}
