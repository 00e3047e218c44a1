package analyzer

import (
	"go/types"

	"golang.org/x/tools/go/ssa"

	"github.com/lifecyclecheck/lifecyclecheck/analyzer/internal/facts"
	"github.com/lifecyclecheck/lifecyclecheck/analyzer/internal/model"
)

// concreteSummary returns, for a call through an interface whose receiver
// has a known concrete type, the summary of that type's method: the value
// converted to the interface in this function, or the result of a call
// whose summary names its concrete type.
func (fe *fnEvents) concreteSummary(cs callSite) *facts.Summary {
	if !cs.common.IsInvoke() {
		return nil
	}
	t := fe.concreteType(cs.common.Value)
	if t == nil {
		return fe.env.invokeSummary(cs.common)
	}
	obj, _, _ := types.LookupFieldOrMethod(t, true, cs.common.Method.Pkg(), cs.common.Method.Name())
	fn, ok := obj.(*types.Func)
	if !ok {
		return nil
	}
	return fe.env.funcSummary(fn.Origin())
}

// concreteType returns the dynamic type of interface value v when this
// function can see it, or nil.
func (fe *fnEvents) concreteType(v ssa.Value) types.Type {
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
	s := fe.env.summaryOf(newCallSite(call.Common(), call, call.Pos()))
	if s == nil {
		return nil
	}
	for _, r := range s.Concrete {
		if r.Result == res {
			return fe.env.lookupType(r)
		}
	}
	return nil
}

// concreteResults finds the results of fn that always hold one concrete
// named type.
func concreteResults(fn *ssa.Function) []facts.ConcreteResult {
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
			c, named := concreteOf(model.Strip(ret.Results[i]).Type())
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

// lookupType finds the type r names among the packages this one sees.
func (env *passEnv) lookupType(r facts.ConcreteResult) types.Type {
	pkg := env.pass.Pkg
	if pkg.Path() != r.Pkg {
		pkg = nil
		for _, imp := range env.pass.Pkg.Imports() {
			if imp.Path() == r.Pkg {
				pkg = imp
			}
		}
	}
	if pkg == nil {
		return nil
	}
	tn, ok := pkg.Scope().Lookup(r.Name).(*types.TypeName)
	if !ok {
		return nil
	}
	if r.Ptr {
		return types.NewPointer(tn.Type())
	}
	return tn.Type()
}

// soleImplementation returns, for an interface type declared in this
// package, the one concrete type of the package that implements it (a
// back-pointer such as streamClearer, implemented by the connection that
// holds the streams), or nil when there are none or several.
func (env *passEnv) soleImplementation(iface types.Type) types.Type {
	named, ok := types.Unalias(iface).(*types.Named)
	if !ok || named.Obj().Pkg() != env.pass.Pkg {
		return nil
	}
	it, ok := named.Underlying().(*types.Interface)
	if !ok || it.NumMethods() == 0 {
		return nil
	}
	if t, done := env.soleImpl[named]; done {
		return t
	}
	var found types.Type
	scope := env.pass.Pkg.Scope()
	for _, name := range scope.Names() {
		tn, ok := scope.Lookup(name).(*types.TypeName)
		if !ok || tn.IsAlias() || types.IsInterface(tn.Type()) {
			continue
		}
		for _, t := range []types.Type{tn.Type(), types.NewPointer(tn.Type())} {
			if types.Implements(t, it) {
				if found != nil && !types.Identical(found, t) {
					env.soleImpl[named] = nil
					return nil
				}
				found = t
				break
			}
		}
	}
	env.soleImpl[named] = found
	return found
}
