package analyzer

import (
	"go/ast"
	"go/types"

	"golang.org/x/tools/go/analysis"

	"github.com/lifecyclecheck/lifecyclecheck/analyzer/internal/facts"
	"github.com/lifecyclecheck/lifecyclecheck/analyzer/internal/report"
	"github.com/lifecyclecheck/lifecyclecheck/rules"
)

// readDirectives collects the package's directives: the operations
// declared on its functions and the ignores. Malformed directives are
// reported at the directive.
func readDirectives(pass *analysis.Pass, cfg Config) (map[*types.Func][]rules.Op, *report.Ignores) {
	declared := make(map[*types.Func][]rules.Op)
	ign := report.NewIgnores(pass.Fset)
	reportErrs := func(errs []rules.DirectiveError) {
		for _, e := range errs {
			pass.Report(analysis.Diagnostic{Pos: e.Pos, Category: rules.CategoryDirective, Message: e.Msg})
		}
	}
	for _, f := range pass.Files {
		igs, errs := rules.IgnoreDirectives(pass.Fset, f)
		reportErrs(errs)
		reportErrs(rules.MisplacedDirectives(f))
		for _, i := range igs {
			ign.Add(i)
		}
		for _, d := range f.Decls {
			fd, ok := d.(*ast.FuncDecl)
			if !ok {
				continue
			}
			ops := funcOps(pass, cfg, fd, reportErrs)
			if len(ops) > 0 {
				declared[pass.TypesInfo.Defs[fd.Name].(*types.Func)] = ops
			}
		}
	}
	return declared, ign
}

func funcOps(pass *analysis.Pass, cfg Config, fd *ast.FuncDecl, reportErrs func([]rules.DirectiveError)) []rules.Op {
	ds, errs := rules.FuncDirectives(fd)
	reportErrs(errs)
	fn, ok := pass.TypesInfo.Defs[fd.Name].(*types.Func)
	if len(ds) == 0 || !ok {
		return nil
	}
	ops, errs := rules.ResolveDirectives(ds, fn.Type().(*types.Signature))
	reportErrs(errs)
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
