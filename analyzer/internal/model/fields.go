package model

import (
	"go/token"
	"go/types"

	"golang.org/x/tools/go/ssa"
)

// CondLeaves returns the values a condition is computed from: through
// comparisons, negations, conversions and extracts, depth levels deep.
func CondLeaves(v ssa.Value, depth int) []ssa.Value {
	v = Strip(v)
	if depth == 0 {
		return []ssa.Value{v}
	}
	switch x := v.(type) {
	case *ssa.BinOp:
		return append(CondLeaves(x.X, depth-1), CondLeaves(x.Y, depth-1)...)
	case *ssa.UnOp:
		if x.Op == token.NOT {
			return CondLeaves(x.X, depth-1)
		}
	case *ssa.Extract:
		if lk, ok := x.Tuple.(*ssa.Lookup); ok {
			return []ssa.Value{lk}
		}
		return CondLeaves(x.Tuple, depth-1)
	}
	return []ssa.Value{v}
}

// TestedField returns the field a condition leaf reads: a load of it, or
// a method call on its address (an atomic.Bool's Load).
func TestedField(v ssa.Value) *types.Var {
	switch x := v.(type) {
	case *ssa.UnOp:
		if fa, ok := x.X.(*ssa.FieldAddr); ok && x.Op == token.MUL {
			return fieldVar(fa)
		}
	case *ssa.Call:
		if len(x.Call.Args) > 0 && !x.Call.IsInvoke() {
			if fa, ok := Strip(x.Call.Args[0]).(*ssa.FieldAddr); ok {
				return fieldVar(fa)
			}
		}
	}
	return nil
}

// StoredFields returns the fields fn writes: stores, and method calls on
// a field's address (an atomic's Store or CompareAndSwap).
func StoredFields(fn *ssa.Function) map[*types.Var]bool {
	out := make(map[*types.Var]bool)
	for _, b := range fn.Blocks {
		for _, instr := range b.Instrs {
			switch x := instr.(type) {
			case *ssa.Store:
				if fa, ok := x.Addr.(*ssa.FieldAddr); ok {
					out[fieldVar(fa)] = true
				}
			case *ssa.Call:
				if f := TestedField(x); f != nil {
					if callee := x.Call.StaticCallee(); callee != nil && callee.Name() != "Load" {
						out[f] = true
					}
				}
			}
		}
	}
	delete(out, nil)
	return out
}

// fieldVar returns the field fa addresses.
func fieldVar(fa *ssa.FieldAddr) *types.Var {
	t := fa.X.Type().Underlying()
	if p, ok := t.(*types.Pointer); ok {
		t = p.Elem().Underlying()
	}
	st, ok := t.(*types.Struct)
	if !ok || fa.Field >= st.NumFields() {
		return nil
	}
	return st.Field(fa.Field)
}
