package rules

import (
	"fmt"
	"go/types"
)

// findFunc finds the function ref names in pkg, explaining how to spell
// it when the receiver is written the wrong way.
func findFunc(pkg *types.Package, ref funcRef) (*types.Func, error) {
	if ref.recv == "" {
		return packageFunc(pkg, ref.name)
	}
	tn, ok := pkg.Scope().Lookup(ref.recv).(*types.TypeName)
	if !ok {
		return nil, fmt.Errorf("package %s has no type %s: check the receiver in func", pkg.Path(), ref.recv)
	}
	fn, err := method(pkg, tn, ref.name)
	if err != nil {
		return nil, err
	}
	if ptr := isPointerRecv(fn); ptr != ref.ptr {
		which := map[bool]string{true: "a pointer", false: "a value"}[ptr]
		return nil, fmt.Errorf("method %s has %s receiver: write %s", ref.name, which, fn.FullName())
	}
	return fn, nil
}

// packageFunc finds a package-level function.
func packageFunc(pkg *types.Package, name string) (*types.Func, error) {
	switch obj := pkg.Scope().Lookup(name).(type) {
	case *types.Func:
		return obj, nil
	case nil:
		if fn := anyMethod(pkg, name); fn != nil {
			return nil, fmt.Errorf("package %s has no function %s: for the method, write %s", pkg.Path(), name, fn.FullName())
		}
		return nil, fmt.Errorf("package %s has no function %s: check the name in func", pkg.Path(), name)
	default:
		return nil, fmt.Errorf("%s.%s is not a function: name a function or method in func", pkg.Path(), name)
	}
}

// method finds the method called name of the type tn declares, directly
// or, for an interface, through embedding.
func method(pkg *types.Package, tn *types.TypeName, name string) (*types.Func, error) {
	T := types.Unalias(tn.Type())
	if iface, ok := T.Underlying().(*types.Interface); ok {
		for m := range iface.Methods() {
			if m.Name() == name {
				return m, nil
			}
		}
	}
	if named, ok := T.(*types.Named); ok {
		for m := range named.Methods() {
			if m.Name() == name {
				return m, nil
			}
		}
	}
	if obj, _, _ := types.LookupFieldOrMethod(types.NewPointer(T), false, pkg, name); obj != nil {
		if fn, ok := obj.(*types.Func); ok {
			return nil, fmt.Errorf("type %s has no method %s of its own: write the one it promotes, %s", tn.Name(), name, fn.FullName())
		}
	}
	return nil, fmt.Errorf("type %s has no method %s: check the name in func", tn.Name(), name)
}

// anyMethod returns a method called name of some type of pkg, to suggest
// when a rule spells a method as a package-level function.
func anyMethod(pkg *types.Package, name string) *types.Func {
	for _, n := range pkg.Scope().Names() {
		tn, ok := pkg.Scope().Lookup(n).(*types.TypeName)
		if !ok || tn.IsAlias() {
			continue
		}
		if named, ok := tn.Type().(*types.Named); ok {
			for m := range named.Methods() {
				if m.Name() == name {
					return m
				}
			}
		}
	}
	return nil
}

func isPointerRecv(fn *types.Func) bool {
	_, ok := fn.Signature().Recv().Type().(*types.Pointer)
	return ok
}
