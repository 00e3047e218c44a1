package analyzer

import (
	"go/ast"
	"go/token"
	"go/types"

	"golang.org/x/tools/go/analysis"

	"github.com/lifecyclecheck/lifecyclecheck/analyzer/internal/facts"
	"github.com/lifecyclecheck/lifecyclecheck/rules"
)

// ignores are the //lifecycle:ignore comments of the package, with which
// ones silenced something.
type ignores struct {
	fset   *token.FileSet
	byFile map[string][]rules.Ignore
	used   map[token.Pos]bool
}

// silence reports whether an ignore covers a report at pos, and marks it used.
func (ig *ignores) silence(pos token.Pos) bool {
	p := ig.fset.Position(pos)
	for _, i := range ig.byFile[p.Filename] {
		if i.Covers(p.Line) {
			ig.used[i.Pos] = true
			return true
		}
	}
	return false
}

func (ig *ignores) unused() []analysis.Diagnostic {
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

// readDirectives collects the package's directives: the operations
// declared on its functions and the ignores. Malformed directives are
// reported at the directive.
func readDirectives(pass *analysis.Pass, cfg Config) (map[*types.Func][]rules.Op, *ignores) {
	declared := make(map[*types.Func][]rules.Op)
	ign := &ignores{fset: pass.Fset, byFile: make(map[string][]rules.Ignore), used: make(map[token.Pos]bool)}
	report := func(errs []rules.DirectiveError) {
		for _, e := range errs {
			pass.Report(analysis.Diagnostic{Pos: e.Pos, Category: rules.CategoryDirective, Message: e.Msg})
		}
	}
	for _, f := range pass.Files {
		igs, errs := rules.IgnoreDirectives(pass.Fset, f)
		report(errs)
		report(rules.MisplacedDirectives(f))
		for _, i := range igs {
			name := pass.Fset.Position(i.Pos).Filename
			ign.byFile[name] = append(ign.byFile[name], i)
		}
		for _, d := range f.Decls {
			fd, ok := d.(*ast.FuncDecl)
			if !ok {
				continue
			}
			ops := funcOps(pass, cfg, fd, report)
			if len(ops) > 0 {
				declared[pass.TypesInfo.Defs[fd.Name].(*types.Func)] = ops
			}
		}
	}
	return declared, ign
}

func funcOps(pass *analysis.Pass, cfg Config, fd *ast.FuncDecl, report func([]rules.DirectiveError)) []rules.Op {
	ds, errs := rules.FuncDirectives(fd)
	report(errs)
	fn, ok := pass.TypesInfo.Defs[fd.Name].(*types.Func)
	if len(ds) == 0 || !ok {
		return nil
	}
	ops, errs := rules.ResolveDirectives(ds, fn.Type().(*types.Signature))
	report(errs)
	if !cfg.Rules.Agrees(fn.FullName(), ops) {
		pass.Report(analysis.Diagnostic{Pos: ds[0].Pos, Category: rules.CategoryDirective,
			Message: "the directives of " + fn.Name() + " disagree with the rules file: make them declare the same operations, or drop one"})
	}
	return ops
}

// declaredSummary turns declared operations into the summary callers use.
func declaredSummary(ops []rules.Op) *facts.Summary {
	s := &facts.Summary{}
	for _, op := range ops {
		e := facts.Effect{Op: op.Kind}
		if op.Object != rules.Any {
			e.Object = facts.Operand{Base: facts.ParamOperand, Pos: op.Object}
		}
		if op.Index != rules.Any {
			e.Index = facts.IndexID{Kind: facts.ParamIndex, Pos: op.Index}
		}
		if op.Kind == rules.Read {
			e.Op = rules.Insert
			e.Object = facts.Operand{Base: facts.ResultOperand, Pos: op.Object}
		}
		s.Effects = append(s.Effects, e)
	}
	s.Normalize()
	return s
}
