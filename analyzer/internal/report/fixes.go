package report

import (
	"bytes"
	"go/ast"
	"go/token"
	"go/types"
	"strings"

	"golang.org/x/tools/go/analysis"
	"golang.org/x/tools/go/ssa"

	"github.com/lifecyclecheck/lifecyclecheck/analyzer/internal/events"
	"github.com/lifecyclecheck/lifecyclecheck/analyzer/internal/facts"
	"github.com/lifecyclecheck/lifecyclecheck/analyzer/internal/flow"
)

// fixInfo is the delete that undoes an insert, as source text, with the
// expressions it re-evaluates.
type fixInfo struct {
	text  string // delete(m, k)
	exprs []ast.Expr
}

func (fe fnView) fixOf(src *events.FixSource) *fixInfo {
	switch {
	case src == nil:
		return nil
	case src.MapUpdate != nil:
		return fe.mapFix(src.MapUpdate)
	}
	return fe.callFix(*src.CS)
}

// mapFix derives delete(m, k) from m[k] = v.
func (fe fnView) mapFix(x *ssa.MapUpdate) *fixInfo {
	ix := fe.env.src.index(x.Pos())
	if ix == nil {
		return nil
	}
	m, k := types.ExprString(ix.X), types.ExprString(ix.Index)
	return &fixInfo{text: "delete(" + m + ", " + k + ")", exprs: []ast.Expr{ix.X, ix.Index}}
}

// callFix derives m.Delete(k) from a sync.Map insert m.Store(k, v).
func (fe fnView) callFix(cs events.CallSite) *fixInfo {
	if !strings.HasPrefix(cs.FullName(), "(*sync.Map).") {
		return nil
	}
	call := fe.env.src.call(cs.Common.Pos())
	if call == nil || len(call.Args) < 1 {
		return nil
	}
	sel, ok := ast.Unparen(call.Fun).(*ast.SelectorExpr)
	if !ok {
		return nil
	}
	return &fixInfo{
		text:  types.ExprString(sel.X) + ".Delete(" + types.ExprString(call.Args[0]) + ")",
		exprs: []ast.Expr{sel.X, call.Args[0]},
	}
}

// suggestedFix places the delete on its own line before the free, when the
// free is a statement of its own and the insert's expressions still mean
// the same there; otherwise it says why there is none.
func (fe fnView) suggestedFix(f flow.InFact, ev *events.Event, deferAt token.Pos) ([]analysis.SuggestedFix, string) {
	switch {
	case f.Site.Read:
		return nil, "the object was read out of the index, not put in here: which key to delete is not known"
	case !fe.underInsertLocks(f.Site.Ev, ev):
		return nil, "a delete placed before the free would not hold the lock the insert held"
	case f.Site.Ev.Node != "":
		return orReason(fe.nodeFix(f, ev), "no method of the node type unlinks it")
	case deferAt.IsValid():
		return nil, "the free is deferred: a delete placed before the defer statement would run too early"
	case f.Site.Ev.Learned:
		return orReason(fe.learnedMapFix(f, ev), "the insert is in a callee, and its index or key cannot be named here")
	}
	fix := fe.fixOf(f.Site.Ev.Fix)
	if fix == nil {
		return nil, "the insert is not a map store or a known insert call whose delete can be written"
	}
	src := fe.env.src
	stmt := src.stmt(ev.Pos)
	if stmt == nil {
		return nil, "the free is not a statement of its own"
	}
	for _, e := range fix.exprs {
		if !src.stable(e, stmt.Pos()) {
			return nil, "the insert's index or key expression may not mean the same at the free"
		}
	}
	return orReason(fe.env.callBefore(stmt, fix.text), "the file is generated from another one")
}

// orReason returns fixes, or no fix and why when there are none.
func orReason(fixes []analysis.SuggestedFix, why string) ([]analysis.SuggestedFix, string) {
	if len(fixes) == 0 {
		return nil, why
	}
	return fixes, ""
}

// underInsertLocks reports whether a delete placed right before end would
// run under every mutex the insert ran under: the same mutexes held at the
// end of life as at the insert, and none held inside a callee that made
// the insert (the fix cannot take that one).
func (fe fnView) underInsertLocks(ins, end *events.Event) bool {
	if ins.Locked || ins.Instr == nil || end.Instr == nil {
		return !ins.Locked && ins.Instr == nil && len(fe.HeldAt(end.Instr)) == 0
	}
	return fe.HeldAt(end.Instr).HoldsAll(fe.HeldAt(ins.Instr))
}

// callBefore is the fix that puts the statement text on its own line
// right before stmt, indented as stmt is. There is none in a file that
// cgo (or another generator) wrote from the user's file: its positions
// would edit the generated copy, not the file the user has.
func (r *Reporter) callBefore(stmt ast.Stmt, text string) []analysis.SuggestedFix {
	if r.generatedAt(stmt.Pos()) {
		return nil
	}
	return []analysis.SuggestedFix{{
		Message: "call " + text + " before the free",
		TextEdits: []analysis.TextEdit{{
			Pos: stmt.Pos(), End: stmt.Pos(),
			NewText: []byte(text + "\n" + r.indentAt(stmt.Pos())),
		}},
	}}
}

// indentAt returns the white space that starts pos's line.
func (r *Reporter) indentAt(pos token.Pos) string {
	tf := r.pass.Fset.File(pos)
	if tf == nil {
		return ""
	}
	content, err := r.pass.ReadFile(tf.Name())
	if err != nil {
		return ""
	}
	start := tf.Offset(tf.LineStart(tf.Line(pos)))
	end := tf.Offset(pos)
	if start > end || end > len(content) {
		return ""
	}
	line := content[start:end]
	if len(bytes.TrimLeft(line, " \t")) != 0 {
		return "" // the statement does not start its line
	}
	return string(line)
}

// learnedMapFix derives the delete for an insert a callee made into a
// package-level map of this package, keyed by the object or one of its
// fields (storeName(p) did byName[p.name] = p): delete(byName, p.name)
// right before the free, naming the object as the free's call does.
func (fe fnView) learnedMapFix(f flow.InFact, ev *events.Event) []analysis.SuggestedFix {
	ins, id := f.Site.Ev, fe.Indexes[f.Idx]
	if !ins.Keyed || id.Kind != facts.GlobalIndex {
		return nil
	}
	pkg := fe.env.pass.Pkg
	name, inPkg := strings.CutPrefix(id.Name, pkg.Path()+".")
	if !inPkg {
		return fe.removerFix(f, ev)
	}
	global := pkg.Scope().Lookup(name)
	if global == nil {
		return nil
	}
	if _, isMap := global.Type().Underlying().(*types.Map); !isMap {
		return nil
	}
	src := fe.env.src
	stmt := src.stmt(ev.Pos)
	obj := fe.ObjName(ev)
	if stmt == nil || !isPath(obj) || !src.inScope(name, global, stmt.Pos()) {
		return nil
	}
	return fe.env.callBefore(stmt, "delete("+name+", "+obj+facts.PathSuffix(ins.MapKey)+")")
}

// isPath reports whether s is a name or a chain of field selections.
func isPath(s string) bool {
	if s == "" {
		return false
	}
	for _, part := range strings.Split(s, ".") {
		if !token.IsIdentifier(part) {
			return false
		}
	}
	return true
}

// generatedAt reports whether pos lies in a file whose positions a //line
// directive maps to another file (cgo's output does so).
func (r *Reporter) generatedAt(pos token.Pos) bool {
	tf := r.pass.Fset.File(pos)
	return tf == nil || r.pass.Fset.Position(pos).Filename != tf.Name()
}
