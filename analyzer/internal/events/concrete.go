package events

import (
	"go/types"

	"golang.org/x/tools/go/ssa"

	"github.com/lifecyclecheck/lifecyclecheck/analyzer/internal/facts"
	"github.com/lifecyclecheck/lifecyclecheck/analyzer/internal/model"
)

func (fe *FnEvents) concreteSummary(cs CallSite) *facts.Summary {
	return concreteSummaryOf(fe.pass, cs)
}

// concreteSummaryOf returns, for a call through an interface whose
// receiver has a known concrete type, the summary of that type's method:
// the value converted to the interface in this function, or the result of
// a call whose summary names its concrete type; else the summary of the
// interface's sole implementation, if any.
func concreteSummaryOf(p Pass, cs CallSite) *facts.Summary {
	if !cs.Common.IsInvoke() {
		return nil
	}
	t := ConcreteType(p, cs.Common.Value)
	if t == nil {
		return p.InvokeSummary(cs.Common)
	}
	obj, _, _ := types.LookupFieldOrMethod(t, true, cs.Common.Method.Pkg(), cs.Common.Method.Name())
	fn, ok := obj.(*types.Func)
	if !ok {
		return nil
	}
	return p.FuncSummary(fn.Origin())
}

// concreteType returns the dynamic type of interface value v when this
// function can see it, or nil.
func (fe *FnEvents) concreteType(v ssa.Value) types.Type { return ConcreteType(fe.pass, v) }

// ConcreteType returns the dynamic type of interface value v where its
// function shows it (the value converted there) or the summary of the
// call that returned it names it; nil otherwise.
func ConcreteType(p Pass, v ssa.Value) types.Type {
	x := model.Strip(v)
	if !types.IsInterface(x.Type()) {
		return x.Type()
	}
	var call *ssa.Call
	res := 0
	switch c := x.(type) {
	case *ssa.Call:
		call = c
	case *ssa.Extract:
		call, _ = c.Tuple.(*ssa.Call)
		res = c.Index
	}
	if call == nil {
		return nil
	}
	s := p.SummaryOf(NewCallSite(call.Common(), call, call.Pos()))
	if s == nil {
		return nil
	}
	for _, r := range s.Concrete {
		if r.Result == res {
			return p.LookupType(r)
		}
	}
	return nil
}

// ConcreteResults finds the results of fn that always hold one concrete
// named type.
func ConcreteResults(fn *ssa.Function) []facts.ConcreteResult {
	var out []facts.ConcreteResult
	res := fn.Signature.Results()
	for i := 0; i < res.Len(); i++ {
		if !types.IsInterface(res.At(i).Type()) {
			continue
		}
		var found *facts.ConcreteResult
		ok := true
		for _, b := range fn.Blocks {
			ret, isRet := b.Instrs[len(b.Instrs)-1].(*ssa.Return)
			if !isRet || !ok {
				continue
			}
			v := model.Strip(ret.Results[i])
			if k, isConst := v.(*ssa.Const); isConst && k.IsNil() {
				continue // return nil, err: no value, no type
			}
			c, named := concreteOf(v.Type())
			switch {
			case !named:
				ok = false
			case found == nil:
				c.Result = i
				found = &c
			case found.Pkg != c.Pkg || found.Name != c.Name || found.Ptr != c.Ptr:
				ok = false
			}
		}
		if ok && found != nil {
			out = append(out, *found)
		}
	}
	return out
}

// concreteOf describes a named (or pointer to named) non-interface type.
func concreteOf(t types.Type) (facts.ConcreteResult, bool) {
	ptr := false
	if p, ok := t.(*types.Pointer); ok {
		t, ptr = p.Elem(), true
	}
	n, ok := types.Unalias(t).(*types.Named)
	if !ok || types.IsInterface(n) || n.Obj().Pkg() == nil || n.TypeArgs().Len() > 0 {
		return facts.ConcreteResult{}, false
	}
	return facts.ConcreteResult{Pkg: n.Obj().Pkg().Path(), Name: n.Obj().Name(), Ptr: ptr}, true
}
