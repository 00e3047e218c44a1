package main

import (
	"cmp"
	"go/token"
	"path"
	"path/filepath"
	"slices"
	"strings"

	"github.com/lifecyclecheck/lifecyclecheck/internal/driver"
	"github.com/lifecyclecheck/lifecyclecheck/rules"
)

// A finding is one report of the analyzer, with what the output formats
// and the baseline need to know of it.
type finding struct {
	pkgID string            // package ID, a test variant included
	check string            // the check that reported it (rules.Checks)
	file  string            // slash path relative to the module root
	diag  driver.Diagnostic // the report, positions resolved
}

// end returns the end of the finding's range: its position when the
// report has no end.
func (f finding) end() token.Position { return endOr(f.diag.End, f.diag.Posn) }

// endOr returns end, or posn when end is not valid (a report without an
// end).
func endOr(end, posn token.Position) token.Position {
	if !end.IsValid() {
		return posn
	}
	return end
}

// collect returns the findings of the root packages, each once: a report
// repeated in a package's test variant (same position, same message) is
// kept under the package that sorts first. They are sorted by position.
func collect(roots []*driver.Package) []finding {
	roots = slices.Clone(roots)
	slices.SortFunc(roots, func(a, b *driver.Package) int { return cmp.Compare(a.ID, b.ID) })
	type key struct {
		posn, end token.Position
		message   string
	}
	seen := map[key]bool{}
	var out []finding
	for _, p := range roots {
		for _, d := range p.Diagnostics {
			f := newFinding(p, d)
			k := key{f.diag.Posn, f.end(), d.Message}
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
		cmp.Compare(a.diag.Posn.Filename, b.diag.Posn.Filename),
		cmp.Compare(a.diag.Posn.Line, b.diag.Posn.Line),
		cmp.Compare(a.diag.Posn.Column, b.diag.Posn.Column),
		cmp.Compare(a.diag.Message, b.diag.Message),
	)
}

// newFinding describes d, reported in pkg.
func newFinding(pkg *driver.Package, d driver.Diagnostic) finding {
	return finding{
		pkgID: pkg.ID,
		check: checkOf(d),
		file:  moduleRelative(pkg, d.Posn.Filename),
		diag:  d,
	}
}

// checkOf returns the check that made d: its category, which the analyzer
// sets to a name of rules.Checks; reports without one are the original
// check's.
func checkOf(d driver.Diagnostic) string {
	return cmp.Or(d.Category, rules.CheckFreed)
}

// moduleRelative returns filename relative to the root of pkg's module,
// with slashes, so that it is the same on every checkout; outside a module
// it is the package path and the file's base name.
func moduleRelative(pkg *driver.Package, filename string) string {
	if pkg.Module != nil && pkg.Module.Dir != "" {
		rel, err := filepath.Rel(pkg.Module.Dir, filename)
		if err == nil && rel != ".." && !strings.HasPrefix(rel, ".."+string(filepath.Separator)) {
			return filepath.ToSlash(rel)
		}
	}
	return path.Join(pkg.PkgPath, filepath.Base(filename))
}
