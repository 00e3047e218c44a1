package model

import (
	"go/constant"
	"go/token"
	"go/types"
	"slices"
	"strconv"

	"golang.org/x/tools/go/ssa"

	"github.com/lifecyclecheck/lifecyclecheck/analyzer/internal/facts"
)

// A branch condition is identified by what it tests, so that two tests of
// the same thing correlate even when SSA computes them twice: x != nil and
// x == nil are one condition, negated; two loads of p.indexed are one.
type BinKey struct {
	Op   token.Token
	X, Y any
}

// NilKey is the operand key of nil, whatever its type.
const NilKey = "nil"

// ConstKey identifies a constant by value, so that a callee's guard on a
// parameter can be evaluated with a caller's constant argument.
type ConstKey struct {
	Exact string
	Kind  constant.Kind
}

// Value returns the constant k identifies.
func (k ConstKey) Value() constant.Value {
	switch k.Kind {
	case constant.Bool:
		return constant.MakeBool(k.Exact == "true")
	case constant.Int:
		return constant.MakeFromLiteral(k.Exact, token.INT, 0)
	case constant.String:
		return constant.MakeFromLiteral(k.Exact, token.STRING, 0)
	}
	return constant.MakeUnknown()
}

// GuardKey is the key of the condition "the call's result i is nil" (or,
// for a bool result, "is true") as the caller's branches compute it; ok is
// false when the caller never looks at that result.
func GuardKey(m *FuncModel, call *ssa.Call, g *facts.Guard) (key any, ok bool) {
	var rv ssa.Value = call
	if _, tuple := call.Type().(*types.Tuple); tuple {
		rv = nil
		for _, r := range *call.Referrers() {
			if ex, isExtract := r.(*ssa.Extract); isExtract && ex.Index == g.Result {
				rv = ex
			}
		}
	}
	if rv == nil {
		return nil, false
	}
	if g.Nil {
		return BinKey{token.EQL, OperandKey(m, rv), NilKey}, true
	}
	return OperandKey(m, rv), true
}

// LoadKey identifies a load of one field of one object: two loads of
// p.indexed are one operand.
type LoadKey struct {
	Obj   int
	Field string
}

// CondKey returns the identity of a branch condition and whether the
// condition is the negation of that identity.
func CondKey(m *FuncModel, v ssa.Value) (key any, negated bool) {
	switch x := v.(type) {
	case *ssa.UnOp:
		if x.Op == token.NOT {
			k, n := CondKey(m, x.X)
			return k, !n
		}
	case *ssa.BinOp:
		switch x.Op {
		case token.EQL, token.NEQ:
			a, b := OperandKey(m, x.X), OperandKey(m, x.Y)
			if IsConstKey(a) {
				a, b = b, a // nil == err is err == nil
			}
			return BinKey{token.EQL, a, b}, x.Op == token.NEQ
		case token.LSS, token.GEQ:
			return BinKey{token.LSS, OperandKey(m, x.X), OperandKey(m, x.Y)}, x.Op == token.GEQ
		case token.GTR, token.LEQ:
			return BinKey{token.LSS, OperandKey(m, x.Y), OperandKey(m, x.X)}, x.Op == token.LEQ
		}
	}
	return OperandKey(m, v), false
}

// OperandKey identifies a value tested by a condition.
func OperandKey(m *FuncModel, v ssa.Value) any {
	v = Strip(v)
	switch x := v.(type) {
	case *ssa.Const:
		if x.IsNil() {
			return NilKey // whatever its type, so that err == nil matches a callee's guard
		}
		if x.Value != nil {
			return ConstKey{x.Value.ExactString(), x.Value.Kind()}
		}
		return "const:" + x.String()
	case *ssa.UnOp:
		if fa, ok := x.X.(*ssa.FieldAddr); ok && x.Op == token.MUL {
			objs := m.Expand(m.RawObjects(fa.X))
			if len(objs) == 1 {
				return LoadKey{objs[0], FieldName(fa.X, fa.Field)}
			}
		}
		if g, ok := x.X.(*ssa.Global); ok && x.Op == token.MUL {
			return g
		}
		if ia, ok := x.X.(*ssa.IndexAddr); ok && x.Op == token.MUL {
			if c, ok := ia.Index.(*ssa.Const); ok && c.Value != nil {
				return ElemKey{OperandKey(m, ia.X), c.Value.ExactString()}
			}
		}
	}
	return v
}

// ElemKey identifies a load of one element, at a constant index, of one
// slice or array: two loads of x[0] are one operand, as two loads of one
// field are (LoadKey).
type ElemKey struct {
	Base  any
	Index string
}

// IsConstKey reports whether an operand key is a constant's.
func IsConstKey(k any) bool {
	switch k.(type) {
	case string, ConstKey:
		return true
	}
	return false
}

// Cond is a branch condition known on the paths a state stands for.
type Cond struct {
	Key any
	Val bool
	At  *ssa.BasicBlock // the block whose If took it
}

// ResultClass says what a returned value is known to be: "nil", "nonnil"
// (an error made or a sentinel error variable), "true", "false", or "".
func ResultClass(v ssa.Value) string {
	switch x := v.(type) {
	case *ssa.Const:
		switch {
		case x.IsNil():
			return "nil"
		case x.Value != nil && x.Value.Kind() == constant.Bool:
			return strconv.FormatBool(constant.BoolVal(x.Value))
		}
	case *ssa.MakeInterface, *ssa.Alloc:
		return "nonnil"
	case *ssa.UnOp:
		if _, global := x.X.(*ssa.Global); global && x.Op == token.MUL && types.IsInterface(x.Type()) {
			return "nonnil" // a sentinel error
		}
	case *ssa.Call:
		if f := x.Call.StaticCallee(); f != nil && (f.String() == "errors.New" || f.String() == "fmt.Errorf") {
			return "nonnil"
		}
	}
	return ""
}

// StoredResult sees through a function's result slot: with a defer,
// return err is *t0 = err; rundefers; return *t0, and what was stored in
// the slot on the way to the return is what it returns.
func StoredResult(ret *ssa.Return, v ssa.Value) ssa.Value {
	ld, ok := v.(*ssa.UnOp)
	if !ok || ld.Op != token.MUL || ret == nil {
		return v
	}
	slot, ok := ld.X.(*ssa.Alloc)
	if !ok || slot.Heap {
		return v
	}
	instrs := ret.Block().Instrs
	for i := InstrIndex(ret.Block(), ld) - 1; i >= 0; i-- {
		if st, ok := instrs[i].(*ssa.Store); ok && st.Addr == slot {
			return st.Val
		}
		if _, call := instrs[i].(*ssa.Call); call {
			return v // a call may store in the slot (a deferred closure's named result)
		}
	}
	return v
}

// KeyOperand names a map key as a summary does, when it is a parameter of
// its function or a field of one (delete(m, p.id)).
func KeyOperand(k ssa.Value) (facts.Operand, bool) {
	k = uncell(Strip(k))
	if p, ok := k.(*ssa.Parameter); ok {
		return facts.Operand{Base: facts.ParamOperand, Pos: slices.Index(p.Parent().Params, p)}, true
	}
	if fv, ok := k.(*ssa.FreeVar); ok {
		return facts.Operand{Base: facts.FreeVarOperand, Pos: slices.Index(fv.Parent().FreeVars, fv)}, true
	}
	if ld, ok := k.(*ssa.UnOp); ok && ld.Op == token.MUL {
		if fa, ok := ld.X.(*ssa.FieldAddr); ok {
			x := uncell(Strip(fa.X))
			if cell, ok := x.(*ssa.UnOp); ok && cell.Op == token.MUL {
				if fv, ok := cell.X.(*ssa.FreeVar); ok {
					x = fv // a captured variable, loaded from its cell
				}
			}
			switch p := x.(type) {
			case *ssa.Parameter:
				return facts.Operand{Base: facts.ParamOperand, Pos: slices.Index(p.Parent().Params, p), Path: "|" + FieldName(fa.X, fa.Field)}, true
			case *ssa.FreeVar:
				// a closure's delete by a field of what it captured (a
				// timer deleting the entry it was set for)
				return facts.Operand{Base: facts.FreeVarOperand, Pos: slices.Index(p.Parent().FreeVars, p), Path: "|" + FieldName(fa.X, fa.Field)}, true
			}
		}
	}
	return facts.Operand{}, false
}

// uncell sees through the cell of a parameter a closure captures: the
// function stores the parameter in a heap cell once and loads it at each
// use (delete(e.conns, c) with c captured elsewhere). Only an object's
// parameter is seen through: a name captured so is left as before, no
// key a caller knows.
func uncell(v ssa.Value) ssa.Value {
	ld, ok := v.(*ssa.UnOp)
	if !ok || ld.Op != token.MUL {
		return v
	}
	cell, ok := ld.X.(*ssa.Alloc)
	if !ok || !cell.Heap {
		return v
	}
	var stored ssa.Value
	for _, r := range *cell.Referrers() {
		if st, ok := r.(*ssa.Store); ok && st.Addr == cell {
			if stored != nil {
				return v
			}
			stored = st.Val
		}
	}
	if p, ok := stored.(*ssa.Parameter); ok && IsRef(p.Type()) {
		return p // an object: a plain key (a name) names no one object
	}
	return v
}
