package report

import (
	"go/ast"
	"go/types"

	"golang.org/x/tools/go/analysis"

	"github.com/lifecyclecheck/lifecyclecheck/analyzer/internal/events"
	"github.com/lifecyclecheck/lifecyclecheck/analyzer/internal/facts"
	"github.com/lifecyclecheck/lifecyclecheck/analyzer/internal/flow"
)

// nodeFix derives the fix for an intrusive node: the object went in as
// &p.byName, and a function unlinks a node of that type (a delete _ n
// directive, or a body that does so), so the fix calls it on p.byName
// right before the call that really frees p — in the free helper when the
// free is a few calls down, as HAProxy's fix put ebpt_delete in
// deinit_proxy. The argument of that call names the freed object there.
func (fe fnView) nodeFix(f flow.InFact, ev *events.Event) []analysis.SuggestedFix {
	ins := f.Site.Ev
	if ins.Node == "" || ins.NodeType == "" {
		return nil
	}
	unlink := fe.env.lookup.Unlinker("*" + ins.NodeType)
	if unlink == nil {
		return nil
	}
	steps := fe.Steps(ev)
	last := facts.NewStep("", ev.Pos, ev.Arg())
	if len(steps) > 0 {
		last = steps[len(steps)-1]
	}
	src := fe.env.src
	stmt, call := src.stmt(last.Pos()), src.call(last.Pos())
	if stmt == nil || call == nil || last.Arg() == 0 {
		return nil
	}
	obj := src.argExpr(call, last.Arg()-1)
	if obj == nil || !pure(obj) {
		return nil
	}
	return fe.env.callBefore(stmt, types.ExprString(obj)+facts.PathSuffix(ins.Node)+"."+unlink.Name()+"()")
}

// pure reports whether e is a name or a chain of field selections: it can
// be evaluated again at the same place with the same result.
func pure(e ast.Expr) bool {
	switch x := ast.Unparen(e).(type) {
	case *ast.Ident:
		return true
	case *ast.SelectorExpr:
		return pure(x.X)
	}
	return false
}

// argExpr returns argument pos of call (0 is a method call's receiver).
func (si *SourceIndex) argExpr(call *ast.CallExpr, pos int) ast.Expr {
	if isMethodCall(si.pass, call) {
		if pos == 0 {
			return ast.Unparen(call.Fun).(*ast.SelectorExpr).X
		}
		pos--
	}
	if pos < len(call.Args) {
		return call.Args[pos]
	}
	return nil
}
