package events

import (
	"go/token"
	"go/types"
	"strings"

	"golang.org/x/tools/go/ssa"

	"github.com/lifecyclecheck/lifecyclecheck/rules"
)

// CallSite is a call seen from the caller: the callee and its actual
// arguments by position (0 is the receiver of a method).
type CallSite struct {
	Common   *ssa.CallCommon
	Callee   *ssa.Function // nil for dynamic calls
	acts     []ssa.Value
	bindings []ssa.Value // a closure's captured variables
	result   *ssa.Call   // nil for defer and go
	pos      token.Pos   // where the operation is reported
	bound    bool        // a method value: acts[0] is the bound receiver
}

// NewCallSite returns the call c made by instr (nil for a built-in
// close), reported at pos.
func NewCallSite(c *ssa.CallCommon, instr ssa.Instruction, pos token.Pos) CallSite {
	cs := CallSite{Common: c, pos: pos}
	if call, ok := instr.(*ssa.Call); ok {
		cs.result = call
	}
	if c.IsInvoke() {
		cs.acts = append([]ssa.Value{c.Value}, c.Args...)
		return cs
	}
	switch v := c.Value.(type) {
	case *ssa.Function:
		cs.Callee = v
	case *ssa.MakeClosure:
		cs.Callee, _ = v.Fn.(*ssa.Function)
		cs.bindings = v.Bindings
	}
	cs.acts = c.Args
	if cs.Callee != nil && strings.HasPrefix(cs.Callee.Synthetic, "bound method wrapper") && len(cs.bindings) == 1 {
		cs.acts = append([]ssa.Value{cs.bindings[0]}, c.Args...)
		cs.bindings = nil
		cs.bound = true
	}
	return cs
}

// FullName is the name rules are keyed by: types.Func.FullName of the
// generic origin.
func (cs CallSite) FullName() string {
	if cs.Common.IsInvoke() {
		return cs.Common.Method.FullName()
	}
	if f := cs.FuncObject(); f != nil {
		return f.FullName()
	}
	return ""
}

// ruled returns the operations rules give the callee. Most calls are to
// packages without rules, which are told apart without formatting a name.
func (cs CallSite) ruled(set *rules.Set) []rules.Op {
	var pkg *types.Package
	if cs.Common.IsInvoke() {
		pkg = cs.Common.Method.Pkg()
	} else if f := cs.FuncObject(); f != nil {
		pkg = f.Pkg()
	}
	if pkg == nil || !set.HasPackage(pkg.Path()) {
		return nil
	}
	return set.Lookup(cs.FullName())
}

// FuncName names the callee from types alone (witness steps need no
// syntax): Tree.Insert, deinitProxy, a func literal.
func (cs CallSite) FuncName() string {
	if cs.Common.IsInvoke() {
		return cs.Common.Method.Name()
	}
	if b, ok := cs.Common.Value.(*ssa.Builtin); ok {
		return b.Name()
	}
	f := cs.FuncObject()
	if f == nil {
		return "a func literal"
	}
	if recv := f.Signature().Recv(); recv != nil {
		t := recv.Type()
		if p, ok := t.(*types.Pointer); ok {
			t = p.Elem()
		}
		if n, ok := types.Unalias(t).(*types.Named); ok {
			return n.Obj().Name() + "." + f.Name()
		}
	}
	return f.Name()
}

// FuncObject returns the declared function the call reaches (its generic
// origin), or nil for a dynamic call or a function literal.
func (cs CallSite) FuncObject() *types.Func {
	if cs.Callee == nil {
		return nil
	}
	f, _ := cs.Callee.Object().(*types.Func)
	if f != nil {
		f = f.Origin()
	}
	return f
}
