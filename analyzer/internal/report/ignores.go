package report

import (
	"go/token"

	"golang.org/x/tools/go/analysis"

	"github.com/lifecyclecheck/lifecyclecheck/rules"
)

// Ignores are the //lifecycle:ignore comments of the package, with which
// ones silenced something.
type Ignores struct {
	fset   *token.FileSet
	byFile map[string][]rules.Ignore
	used   map[token.Pos]bool
}

// NewIgnores returns an empty set of ignores of the files of fset.
func NewIgnores(fset *token.FileSet) *Ignores {
	return &Ignores{fset: fset, byFile: make(map[string][]rules.Ignore), used: make(map[token.Pos]bool)}
}

// Add records an //lifecycle:ignore directive.
func (ig *Ignores) Add(i rules.Ignore) {
	name := ig.fset.Position(i.Pos).Filename
	ig.byFile[name] = append(ig.byFile[name], i)
}

// silence reports whether an ignore covers a report at pos, and marks it used.
func (ig *Ignores) silence(pos token.Pos) bool {
	p := ig.fset.Position(pos)
	for _, i := range ig.byFile[p.Filename] {
		if i.Covers(p.Line) {
			ig.used[i.Pos] = true
			return true
		}
	}
	return false
}

// unused returns a diagnostic for each ignore that silenced nothing.
func (ig *Ignores) unused() []analysis.Diagnostic {
	var ds []analysis.Diagnostic
	for _, is := range ig.byFile {
		for _, i := range is {
			if !ig.used[i.Pos] {
				ds = append(ds, analysis.Diagnostic{Pos: i.Pos, Category: rules.CategoryDirective, Message: "//lifecycle:ignore silences nothing here: remove it"})
			}
		}
	}
	return ds
}
