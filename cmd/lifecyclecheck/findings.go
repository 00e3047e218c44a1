package main

import (
	"cmp"
	"go/token"
	"path"
	"path/filepath"
	"slices"
	"strings"

	"golang.org/x/tools/go/analysis"
	"golang.org/x/tools/go/analysis/checker"
	"golang.org/x/tools/go/packages"

	"github.com/lifecyclecheck/lifecyclecheck/rules"

	bl "github.com/lifecyclecheck/lifecyclecheck/internal/baseline"
)

// A finding is one report of the analyzer, with what the output formats
// and the baseline need to know of it.
type finding struct {
	pkgID    string // package ID, a test variant included
	check    string // the check that reported it (rules.Checks)
	posn     token.Position
	end      token.Position
	diag     analysis.Diagnostic
	fset     *token.FileSet
	function string // the function declaration it sits in, "" outside any
	file     string // slash path relative to the module root
}

// collect returns the findings of the root actions, each once: a report
// repeated in a package's test variant (same position, same message) is
// kept under the package that sorts first. They are sorted by position.
func collect(graph *checker.Graph) []finding {
	roots := slices.Clone(graph.Roots)
	slices.SortFunc(roots, func(a, b *checker.Action) int { return cmp.Compare(a.Package.ID, b.Package.ID) })
	type key struct {
		posn, end token.Position
		message   string
	}
	seen := map[key]bool{}
	var out []finding
	for _, act := range roots {
		for _, d := range act.Diagnostics {
			f := newFinding(act.Package, d)
			k := key{f.posn, f.end, d.Message}
			if seen[k] {
				continue
			}
			seen[k] = true
			out = append(out, f)
		}
	}
	slices.SortStableFunc(out, compareFindings)
	return out
}

// compareFindings orders findings by file, line, column and message.
func compareFindings(a, b finding) int {
	return cmp.Or(
		cmp.Compare(a.posn.Filename, b.posn.Filename),
		cmp.Compare(a.posn.Line, b.posn.Line),
		cmp.Compare(a.posn.Column, b.posn.Column),
		cmp.Compare(a.diag.Message, b.diag.Message),
	)
}

// newFinding describes d, reported in pkg.
func newFinding(pkg *packages.Package, d analysis.Diagnostic) finding {
	posn := pkg.Fset.Position(d.Pos)
	return finding{
		pkgID:    pkg.ID,
		check:    checkOf(d),
		posn:     posn,
		end:      pkg.Fset.Position(cmp.Or(d.End, d.Pos)),
		diag:     d,
		fset:     pkg.Fset,
		function: bl.EnclosingFunc(pkg.Syntax, d.Pos),
		file:     moduleRelative(pkg, posn.Filename),
	}
}

// checkOf returns the check that made d: its category, which the analyzer
// sets to a name of rules.Checks; reports without one are the original
// check's.
func checkOf(d analysis.Diagnostic) string {
	return cmp.Or(d.Category, rules.CheckFreed)
}

// moduleRelative returns filename relative to the root of pkg's module,
// with slashes, so that it is the same on every checkout; outside a module
// it is the package path and the file's base name.
func moduleRelative(pkg *packages.Package, filename string) string {
	if pkg.Module != nil && pkg.Module.Dir != "" {
		rel, err := filepath.Rel(pkg.Module.Dir, filename)
		if err == nil && rel != ".." && !strings.HasPrefix(rel, ".."+string(filepath.Separator)) {
			return filepath.ToSlash(rel)
		}
	}
	return path.Join(pkg.PkgPath, filepath.Base(filename))
}
