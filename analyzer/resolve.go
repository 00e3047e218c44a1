package analyzer

import (
	"go/token"
	"go/types"
	"strings"

	"golang.org/x/tools/go/ssa"

	"github.com/lifecyclecheck/lifecyclecheck/analyzer/internal/facts"
)

// LookupType finds the type r names among the packages this one sees.
func (env *passEnv) LookupType(r facts.ConcreteResult) types.Type {
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
// package, the one concrete type here that implements it (a back-pointer
// such as streamClearer, implemented by the connection that holds the
// streams), or nil when there are none or several. An interface of
// another package is not sought in that package's scope, which export
// data may show only in part (an unexported second implementation
// missing): its package, which sees it whole, gives its methods their
// implementation's summary as facts (interfaceSummary).
func (env *passEnv) soleImplementation(iface types.Type) types.Type {
	named, ok := types.Unalias(iface).(*types.Named)
	if !ok || named.Obj().Pkg() == nil {
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
	if named.Obj().Pkg() == env.pass.Pkg {
		found, _ = env.implementations(env.pass.Pkg, it)
	}
	env.soleImpl[named] = found
	return found
}

// implementations returns the concrete types of pkg, declared outside
// its tests, that implement it: the one found (nil if several) and how
// many there are.
func (env *passEnv) implementations(pkg *types.Package, it *types.Interface) (types.Type, int) {
	var found types.Type
	n := 0
	scope := pkg.Scope()
	for _, name := range scope.Names() {
		tn, ok := scope.Lookup(name).(*types.TypeName)
		if !ok || tn.IsAlias() || types.IsInterface(tn.Type()) || env.inTestFile(tn.Pos()) {
			continue
		}
		if n, ok := tn.Type().(*types.Named); ok && n.TypeParams().Len() > 0 {
			continue
		}
		for _, t := range []types.Type{tn.Type(), types.NewPointer(tn.Type())} {
			if types.Implements(t, it) && !forwards(t, it) {
				found = t
				n++
				break
			}
		}
	}
	if n != 1 {
		found = nil
	}
	return found, n
}

// forwards reports whether t has a method of it only by embedding a
// value of an interface type (ListOptionIndexer embeds a Store that
// embeds db.Client): it forwards the call to some other implementation
// and is none itself.
func forwards(t types.Type, it *types.Interface) bool {
	for i := range it.NumMethods() {
		m := it.Method(i)
		obj, _, _ := types.LookupFieldOrMethod(t, true, m.Pkg(), m.Name())
		if f, ok := obj.(*types.Func); ok {
			if recv := f.Type().(*types.Signature).Recv(); recv != nil && types.IsInterface(recv.Type()) {
				return true
			}
		}
	}
	return false
}

// invokeFunc returns the method an interface call reaches when its
// interface has a sole implementation here, for the call graph.
func (env *passEnv) invokeFunc(c *ssa.CallCommon) *ssa.Function {
	fn := env.invokedMethod(c)
	if fn == nil || c.Value.Parent() == nil {
		return nil
	}
	return c.Value.Parent().Prog.FuncValue(fn)
}

// InvokeSummary returns the summary of the one method an interface call
// can reach, when its interface has a sole implementation here.
func (env *passEnv) InvokeSummary(c *ssa.CallCommon) *facts.Summary {
	if fn := env.invokedMethod(c); fn != nil {
		return env.FuncSummary(fn.Origin())
	}
	return env.interfaceSummary(c.Method)
}

// interfaceSummary returns the summary the package declaring interface
// method m gave it, from its sole implementation there, when this package
// cannot see that implementation and has none of its own.
func (env *passEnv) interfaceSummary(m *types.Func) *facts.Summary {
	if m == nil || m.Pkg() == nil || m.Pkg() == env.pass.Pkg {
		return nil
	}
	recv := m.Type().(*types.Signature).Recv()
	if recv == nil {
		return nil
	}
	it, ok := recv.Type().Underlying().(*types.Interface)
	if !ok {
		return nil
	}
	s := env.FuncSummary(m)
	if s == nil {
		return nil // most interface methods: nothing to look for
	}
	own, done := env.ownImpl[it]
	if !done {
		_, n := env.implementations(env.pass.Pkg, it)
		own = n > 0
		env.ownImpl[it] = own
	}
	if own {
		return nil
	}
	return s
}

// invokedMethod returns the method of the sole implementation of the
// interface c calls through, or nil. A method an interface has from one
// it embeds (informer.Store embeds db.Client) is that interface's: its
// implementation is sought in the package that declares it.
func (env *passEnv) invokedMethod(c *ssa.CallCommon) *types.Func {
	t := env.soleImplementation(c.Value.Type())
	if t == nil {
		if recv := c.Method.Type().(*types.Signature).Recv(); recv != nil && !types.Identical(recv.Type(), c.Value.Type()) {
			t = env.soleImplementation(recv.Type())
		}
	}
	if t == nil {
		return nil
	}
	obj, _, _ := types.LookupFieldOrMethod(t, true, c.Method.Pkg(), c.Method.Name())
	fn, _ := obj.(*types.Func)
	return fn
}

// inTestFile reports whether pos is in a _test.go file: a mock declared
// there for the package's tests is no implementation of its code.
func (env *passEnv) inTestFile(pos token.Pos) bool {
	return strings.HasSuffix(env.pass.Fset.Position(pos).Filename, "_test.go")
}
