package rules

import (
	"go/ast"
	"go/token"
)

// Ignore is a //lifecycle:ignore comment: it silences the reports on its
// own line and on the line below.
type Ignore struct {
	Pos    token.Pos
	Line   int
	Reason string
}

// Covers reports whether ig silences a report on the given line of its file.
func (ig Ignore) Covers(line int) bool {
	return line == ig.Line || line == ig.Line+1
}

// IgnoreDirectives returns the //lifecycle:ignore comments anywhere in file,
// in source order, and an error for each malformed one.
func IgnoreDirectives(fset *token.FileSet, file *ast.File) ([]Ignore, []DirectiveError) {
	var igs []Ignore
	var errs []DirectiveError
	for _, p := range fileDirectives(file) {
		switch {
		case p.d.Verb != verbIgnore:
		case p.err != nil:
			errs = append(errs, p.error())
		default:
			line := fset.Position(p.c.Slash).Line
			igs = append(igs, Ignore{Pos: p.c.Slash, Line: line, Reason: p.d.Args[0]})
		}
	}
	return igs, errs
}

// parsedComment is a lifecycle directive found in a file, well-formed or not.
type parsedComment struct {
	group *ast.CommentGroup
	c     *ast.Comment
	d     Directive
	err   error
}

func (p parsedComment) error() DirectiveError {
	return DirectiveError{Pos: p.c.Slash, Msg: p.err.Error()}
}

// fileDirectives returns the lifecycle directives among all comments of file.
func fileDirectives(file *ast.File) []parsedComment {
	var ps []parsedComment
	for _, g := range file.Comments {
		for _, c := range g.List {
			if d, ok, err := ParseDirective(c.Text); ok {
				ps = append(ps, parsedComment{g, c, d, err})
			}
		}
	}
	return ps
}
