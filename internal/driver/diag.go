package driver

import (
	"go/ast"
	"go/token"

	"golang.org/x/tools/go/analysis"

	bl "github.com/lifecyclecheck/lifecyclecheck/internal/baseline"
)

// resolve returns d with its positions resolved in fset, and the
// function of files it sits in.
func resolve(fset *token.FileSet, files []*ast.File, d analysis.Diagnostic) Diagnostic {
	out := Diagnostic{
		Category: d.Category,
		Message:  d.Message,
		Posn:     fset.Position(d.Pos),
		End:      fset.Position(orPos(d.End, d.Pos)),
		Function: bl.EnclosingFunc(files, d.Pos),
	}
	for _, rel := range d.Related {
		out.Related = append(out.Related, Related{
			Posn:    fset.Position(rel.Pos),
			End:     fset.Position(orPos(rel.End, rel.Pos)),
			Message: rel.Message,
		})
	}
	for _, fix := range d.SuggestedFixes {
		f := Fix{Message: fix.Message}
		for _, e := range fix.TextEdits {
			f.Edits = append(f.Edits, Edit{
				Start: fset.Position(e.Pos),
				End:   fset.Position(orPos(e.End, e.Pos)),
				New:   string(e.NewText),
			})
		}
		out.Fixes = append(out.Fixes, f)
	}
	return out
}

// orPos returns pos, or def when pos is not valid.
func orPos(pos, def token.Pos) token.Pos {
	if pos.IsValid() {
		return pos
	}
	return def
}
