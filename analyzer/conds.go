package analyzer

import (
	"go/constant"
	"go/token"
	"go/types"

	"golang.org/x/tools/go/ssa"
)

// A branch condition is identified by what it tests, so that two tests of
// the same thing correlate even when SSA computes them twice: x != nil and
// x == nil are one condition, negated; two loads of p.indexed are one.
type binKey struct {
	op   token.Token
	x, y any
}

const nilKey = "nil"

// constKey identifies a constant by value, so that a callee's guard on a
// parameter can be evaluated with a caller's constant argument.
type constKey struct {
	exact string
	kind  constant.Kind
}

func (k constKey) value() constant.Value {
	switch k.kind {
	case constant.Bool:
		return constant.MakeBool(k.exact == "true")
	case constant.Int:
		return constant.MakeFromLiteral(k.exact, token.INT, 0)
	case constant.String:
		return constant.MakeFromLiteral(k.exact, token.STRING, 0)
	}
	return constant.MakeUnknown()
}

// guardKey is the key of the condition "the call's result i is nil" (or,
// for a bool result, "is true") as the caller's branches compute it; ok is
// false when the caller never looks at that result.
func guardKey(m *funcModel, call *ssa.Call, g *Guard) (key any, ok bool) {
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
		return binKey{token.EQL, operandKey(m, rv), nilKey}, true
	}
	return operandKey(m, rv), true
}

type loadKey struct {
	obj   int
	field string
}

// condKey returns the identity of a branch condition and whether the
// condition is the negation of that identity.
func condKey(m *funcModel, v ssa.Value) (key any, negated bool) {
	switch x := v.(type) {
	case *ssa.UnOp:
		if x.Op == token.NOT {
			k, n := condKey(m, x.X)
			return k, !n
		}
	case *ssa.BinOp:
		switch x.Op {
		case token.EQL, token.NEQ:
			a, b := operandKey(m, x.X), operandKey(m, x.Y)
			if isConstKey(a) {
				a, b = b, a // nil == err is err == nil
			}
			return binKey{token.EQL, a, b}, x.Op == token.NEQ
		case token.LSS, token.GEQ:
			return binKey{token.LSS, operandKey(m, x.X), operandKey(m, x.Y)}, x.Op == token.GEQ
		case token.GTR, token.LEQ:
			return binKey{token.LSS, operandKey(m, x.Y), operandKey(m, x.X)}, x.Op == token.LEQ
		}
	}
	return operandKey(m, v), false
}

// operandKey identifies a value tested by a condition.
func operandKey(m *funcModel, v ssa.Value) any {
	v = strip(v)
	switch x := v.(type) {
	case *ssa.Const:
		if x.IsNil() {
			return nilKey // whatever its type, so that err == nil matches a callee's guard
		}
		if x.Value != nil {
			return constKey{x.Value.ExactString(), x.Value.Kind()}
		}
		return "const:" + x.String()
	case *ssa.UnOp:
		if fa, ok := x.X.(*ssa.FieldAddr); ok && x.Op == token.MUL {
			objs := m.expand(m.rawObjects(fa.X))
			if len(objs) == 1 {
				return loadKey{objs[0], fieldName(fa.X, fa.Field)}
			}
		}
		if g, ok := x.X.(*ssa.Global); ok && x.Op == token.MUL {
			return g
		}
	}
	return v
}

func isConstKey(k any) bool {
	switch k.(type) {
	case string, constKey:
		return true
	}
	return false
}
