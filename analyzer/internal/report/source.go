package report

import (
	"fmt"
	"go/ast"
	"go/token"
	"go/types"
	"path/filepath"
	"strconv"
	"strings"

	"golang.org/x/tools/go/analysis"
	"golang.org/x/tools/go/ssa"

	"github.com/lifecyclecheck/lifecyclecheck/analyzer/internal/facts"
)

// SourceIndex finds the syntax behind SSA positions, so that reports name
// objects and calls as the user wrote them and fixes can be placed.
type SourceIndex struct {
	pass    *analysis.Pass
	calls   map[token.Pos]*ast.CallExpr // by Lparen
	stmts   map[token.Pos]*ast.ExprStmt // statement calls, by the call's Lparen
	indexes map[token.Pos]*ast.IndexExpr
	stored  map[token.Pos]ast.Expr // the value stored by m[k] = v, by the Lbrack
	// assigned holds the variables assigned after their declaration; a fix
	// may only name variables that still hold what they held at the insert.
	assigned map[types.Object]bool
	// elsewhere holds the positions made for steps in other packages.
	elsewhere map[string]token.Pos
}

// NewSourceIndex returns an index that reads the syntax on first use:
// most packages never need it.
func NewSourceIndex(pass *analysis.Pass) *SourceIndex {
	return &SourceIndex{pass: pass}
}

func (si *SourceIndex) build() {
	if si.calls != nil {
		return
	}
	si.calls = make(map[token.Pos]*ast.CallExpr)
	si.stmts = make(map[token.Pos]*ast.ExprStmt)
	si.indexes = make(map[token.Pos]*ast.IndexExpr)
	si.stored = make(map[token.Pos]ast.Expr)
	si.assigned = make(map[types.Object]bool)
	for _, f := range si.pass.Files {
		ast.Inspect(f, si.visit)
	}
}

func (si *SourceIndex) call(pos token.Pos) *ast.CallExpr {
	si.build()
	return si.calls[pos]
}

func (si *SourceIndex) stmt(lparen token.Pos) *ast.ExprStmt {
	si.build()
	return si.stmts[lparen]
}

func (si *SourceIndex) index(lbrack token.Pos) *ast.IndexExpr {
	si.build()
	return si.indexes[lbrack]
}

func (si *SourceIndex) visit(n ast.Node) bool {
	switch x := n.(type) {
	case *ast.CallExpr:
		si.calls[x.Lparen] = x
	case *ast.ExprStmt:
		if c, ok := x.X.(*ast.CallExpr); ok {
			si.stmts[c.Lparen] = x
		}
	case *ast.IndexExpr:
		si.indexes[x.Lbrack] = x
	case *ast.AssignStmt:
		if len(x.Lhs) == len(x.Rhs) {
			for i, lhs := range x.Lhs {
				if ix, ok := lhs.(*ast.IndexExpr); ok {
					si.stored[ix.Lbrack] = x.Rhs[i]
				}
			}
		}
		for _, lhs := range x.Lhs {
			si.markAssigned(lhs, x.Tok == token.DEFINE)
		}
	case *ast.IncDecStmt:
		si.markAssigned(x.X, false)
	case *ast.UnaryExpr:
		if x.Op == token.AND {
			si.markAssigned(x.X, false)
		}
	case *ast.RangeStmt:
		if x.Tok == token.ASSIGN {
			si.markAssigned(x.Key, false)
			si.markAssigned(x.Value, false)
		}
	}
	return true
}

func (si *SourceIndex) markAssigned(e ast.Expr, define bool) {
	id, ok := e.(*ast.Ident)
	if !ok {
		return
	}
	if obj := si.pass.TypesInfo.Uses[id]; obj != nil {
		si.assigned[obj] = true // := redeclaring an existing variable assigns it too
	} else if !define {
		if obj := si.pass.TypesInfo.Defs[id]; obj != nil {
			si.assigned[obj] = true
		}
	}
}

// CallName returns the called function as written: pool.Put, deinitProxy.
func (si *SourceIndex) CallName(c *ssa.CallCommon) string {
	if call := si.call(c.Pos()); call != nil {
		if _, lit := ast.Unparen(call.Fun).(*ast.FuncLit); lit {
			return "a func literal"
		}
		return types.ExprString(ast.Unparen(call.Fun))
	}
	if f := c.StaticCallee(); f != nil {
		return f.Name()
	}
	if c.IsInvoke() {
		return c.Method.Name()
	}
	return "a call"
}

// StoredText names, as written, what the map update at lbrack (m[k] = v)
// puts in: the key k when the object is the key (keyIsObject), else v when
// it names something, else k (a set's entry, inflight[id] = struct{}{}).
func (si *SourceIndex) StoredText(lbrack token.Pos, keyIsObject bool) string {
	si.build()
	v, ok := si.stored[lbrack]
	if !ok {
		return "the object"
	}
	if ix := si.indexes[lbrack]; ix != nil {
		k := types.ExprString(ix.Index)
		if keyIsObject || strings.HasPrefix(types.ExprString(v), k+".") {
			return k // subs[s.sub] = s.sub.topic: the object is the key
		}
	}
	switch ast.Unparen(v).(type) {
	case *ast.Ident, *ast.SelectorExpr, *ast.UnaryExpr:
		if id, ok := v.(*ast.Ident); !ok || (id.Name != "true" && id.Name != "nil") {
			return types.ExprString(v)
		}
	}
	if ix := si.indexes[lbrack]; ix != nil {
		return types.ExprString(ix.Index)
	}
	return types.ExprString(v)
}

// CallArgText is ArgText for the call whose Lparen is at lparen, or "" if
// there is none.
func (si *SourceIndex) CallArgText(lparen token.Pos, pos int) string {
	call := si.call(lparen)
	if call == nil {
		return ""
	}
	if isMethodCall(si.pass, call) {
		if pos == 0 {
			return types.ExprString(ast.Unparen(call.Fun).(*ast.SelectorExpr).X)
		}
		pos--
	}
	if pos < len(call.Args) {
		return types.ExprString(call.Args[pos])
	}
	return ""
}

// ArgText returns argument pos of a call (0 is the receiver of a method
// call) as written.
func (si *SourceIndex) ArgText(c *ssa.CallCommon, pos int) string {
	call := si.call(c.Pos())
	if call == nil {
		return "the object"
	}
	if isMethodCall(si.pass, call) {
		if pos == 0 {
			sel := ast.Unparen(call.Fun).(*ast.SelectorExpr)
			return types.ExprString(sel.X)
		}
		pos--
	}
	if pos < len(call.Args) {
		return types.ExprString(call.Args[pos])
	}
	return "the object"
}

func isMethodCall(pass *analysis.Pass, call *ast.CallExpr) bool {
	sel, ok := ast.Unparen(call.Fun).(*ast.SelectorExpr)
	if !ok {
		return false
	}
	s := pass.TypesInfo.Selections[sel]
	return s != nil && s.Kind() == types.MethodVal
}

// Where renders a position as file:line for messages and facts.
// StepPos returns the position of a step: its own in this package, or,
// for a step another package's facts describe, a position added to the
// pass's file set that reads as the full position the facts carry (a
// one-byte file whose line information names the other file, line and
// column). NoPos when there is neither.
func (si *SourceIndex) StepPos(s facts.Step) token.Pos {
	if pos := s.Pos(); pos.IsValid() || s.At == "" {
		return pos
	}
	if pos, ok := si.elsewhere[s.At]; ok {
		return pos
	}
	pos := token.NoPos
	if file, line, col, ok := splitPosition(s.At); ok {
		tf := si.pass.Fset.AddFile(file, -1, 1)
		tf.AddLineColumnInfo(0, file, line, col)
		pos = tf.Pos(0)
	}
	if si.elsewhere == nil {
		si.elsewhere = make(map[string]token.Pos)
	}
	si.elsewhere[s.At] = pos
	return pos
}

// splitPosition splits file:line:column.
func splitPosition(at string) (file string, line, col int, ok bool) {
	rest, c, ok1 := cutLastInt(at)
	file, l, ok2 := cutLastInt(rest)
	if !ok1 || !ok2 || file == "" || l < 1 || c < 1 {
		return "", 0, 0, false
	}
	return file, l, c, true
}

// cutLastInt splits s at its last colon, the part after it a number.
func cutLastInt(s string) (string, int, bool) {
	i := strings.LastIndexByte(s, ':')
	if i < 0 {
		return "", 0, false
	}
	n, err := strconv.Atoi(s[i+1:])
	return s[:i], n, err == nil
}

func (si *SourceIndex) Where(pos token.Pos) string {
	if !pos.IsValid() {
		return "an unknown position"
	}
	p := si.pass.Fset.Position(pos)
	return fmt.Sprintf("%s:%d", filepath.Base(p.Filename), p.Line)
}

// stable reports whether e can be evaluated again at pos with the same
// meaning: it is built from constants, package-level variables and local
// variables never assigned after their declaration, all in scope at pos.
func (si *SourceIndex) stable(e ast.Expr, pos token.Pos) bool {
	si.build()
	ok := true
	ast.Inspect(e, func(n ast.Node) bool {
		switch x := n.(type) {
		case nil: // Inspect's call after the children
		case *ast.Ident:
			obj := si.pass.TypesInfo.Uses[x]
			if obj == nil || si.assigned[obj] || !si.inScope(x.Name, obj, pos) {
				ok = false
			}
		case *ast.SelectorExpr:
			ok = si.stable(x.X, pos) // x.Sel is a field or a package member
			return false
		case *ast.BasicLit, *ast.ParenExpr, *ast.StarExpr:
		default:
			ok = false
		}
		return ok
	})
	return ok
}

func (si *SourceIndex) inScope(name string, obj types.Object, pos token.Pos) bool {
	if obj.Parent() == types.Universe {
		return true
	}
	inner := si.pass.Pkg.Scope().Innermost(pos)
	if inner == nil {
		return false
	}
	_, found := inner.LookupParent(name, pos)
	return found == obj
}
