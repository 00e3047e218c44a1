package rules

import (
	"cmp"
	"fmt"
	"go/types"
	"slices"
	"strings"
)

// resolveGroups returns the indexes of each group, by the full names the
// analyzer gives them, sorted; problems go to r.p at the group's line,
// one for each name that does not resolve.
func (r *resolver) resolveGroups(gs []GroupRule) [][]string {
	var out [][]string
	for _, g := range gs {
		names, ok := r.resolveGroup(g)
		if ok {
			out = append(out, names)
		}
	}
	return out
}

func (r *resolver) resolveGroup(g GroupRule) ([]string, bool) {
	before := len(r.p.errs)
	written := make(map[string]string) // full name -> the name written
	var names []string
	for _, name := range g.Indexes {
		full, err := r.index(name)
		switch {
		case err != nil:
			r.p.errorf(g.Line, "%v", err)
		case written[full] != "":
			r.p.errorf(g.Line, "indexes %s and %s are one index, %s: list it once", written[full], name, full)
		default:
			written[full] = name
			names = append(names, full)
		}
	}
	if len(r.p.errs) == before && len(names) < 2 {
		r.p.errorf(g.Line, "a group needs at least two indexes, the ones an object leaves together: %s", wantGroup)
	}
	slices.Sort(names)
	return names, len(r.p.errs) == before
}

// index returns the full name of the index that name reads as, trying
// each reading of it (see indexRefs) until one names a variable or field.
// When none does, the problem of the first reading whose package loads
// is the one to report, else the first one's failure to load.
func (r *resolver) index(name string) (string, error) {
	refs := indexRefs(name)
	if len(refs) == 0 {
		return "", checkIndexName(name)
	}
	var loadErr, err error
	for _, ref := range refs {
		pkg, lerr := r.pkg(ref.pkg, "the index name")
		if lerr != nil {
			loadErr = cmp.Or(loadErr, lerr)
			continue
		}
		full, ierr := indexIn(pkg, ref.names)
		if ierr == nil {
			return full, nil
		}
		err = cmp.Or(err, ierr)
	}
	return "", cmp.Or(err, loadErr)
}

// indexIn returns the full name of the package-level variable names[0] of
// pkg, or of the field names[1:] of its type names[0], spelled as the
// analyzer spells indexes: the field's package, the type's name without
// type parameters (an alias spelled as the type it stands for), the fields.
func indexIn(pkg *types.Package, names []string) (string, error) {
	obj := pkg.Scope().Lookup(names[0])
	if len(names) == 1 {
		switch obj.(type) {
		case *types.Var:
			return pkg.Path() + "." + names[0], nil
		case nil:
			return "", fmt.Errorf("package %s has no variable %s: check the name in the index", pkg.Path(), names[0])
		}
		return "", fmt.Errorf("%s.%s is not a variable: an index is a package-level variable or a struct field", pkg.Path(), names[0])
	}
	tn, ok := obj.(*types.TypeName)
	if !ok {
		return "", fmt.Errorf("package %s has no type %s: check the type in the index name", pkg.Path(), names[0])
	}
	named, ok := types.Unalias(tn.Type()).(*types.Named)
	st, isStruct := tn.Type().Underlying().(*types.Struct)
	if !ok || !isStruct {
		return "", fmt.Errorf("type %s is not a declared struct type: an index is a package-level variable or a struct field", names[0])
	}
	first, err := fieldPath(pkg, named, st, names[1:])
	if err != nil {
		return "", err
	}
	return first.Pkg().Path() + "." + named.Origin().Obj().Name() + "." + strings.Join(names[1:], "."), nil
}

// fieldPath finds the field fields[0] of st, the struct of named, then
// each next field in the anonymous struct type of the one before (the
// analyzer names a field of an anonymous struct through the field that
// holds it, as in Swarm.conns.m), and returns the first field.
func fieldPath(pkg *types.Package, named *types.Named, st *types.Struct, fields []string) (*types.Var, error) {
	first := structField(st, fields[0])
	if first == nil {
		return nil, noField(pkg, named, fields[0])
	}
	f := first
	for i, name := range fields[1:] {
		held := fieldsUpTo(fields, i)
		switch t := types.Unalias(f.Type()).(type) {
		case *types.Struct:
			if f = structField(t, name); f == nil {
				return nil, fmt.Errorf("field %s of %s has no field %s: check the field in the index name", held, named.Obj().Name(), name)
			}
			continue
		case *types.Named:
			// The analyzer names a field of a declared struct after its type.
			if _, ok := t.Underlying().(*types.Struct); ok {
				return nil, fmt.Errorf("field %s of %s has type %s: name the index after that type, %s.%s.%s",
					held, named.Obj().Name(), t.Obj().Name(), t.Obj().Pkg().Path(), t.Obj().Name(), strings.Join(fields[i+1:], "."))
			}
		}
		return nil, fmt.Errorf("field %s of %s is not a struct and has no field %s: check the index name", held, named.Obj().Name(), name)
	}
	return first, nil
}

// fieldsUpTo names the fields up to i, as in conns.m.
func fieldsUpTo(fields []string, i int) string { return strings.Join(fields[:i+1], ".") }

// structField returns the field of st called name, declared by st itself.
func structField(st *types.Struct, name string) *types.Var {
	for f := range st.Fields() {
		if f.Name() == name {
			return f
		}
	}
	return nil
}

// noField explains that named has no field called name: none at all, or
// one it promotes from an embedded struct, whose type the index is named
// after.
func noField(pkg *types.Package, named *types.Named, name string) error {
	obj, index, _ := types.LookupFieldOrMethod(named, true, pkg, name)
	if v, ok := obj.(*types.Var); ok && v.IsField() && len(index) > 1 {
		if owner := embeddedOwner(named, index[:len(index)-1]); owner != nil {
			return fmt.Errorf("type %s has no field %s of its own: write the one it promotes, %s.%s.%s",
				named.Obj().Name(), name, v.Pkg().Path(), owner.Obj().Name(), name)
		}
		return fmt.Errorf("type %s has no field %s of its own: name the index after the type that declares it", named.Obj().Name(), name)
	}
	return fmt.Errorf("type %s has no field %s: check the field in the index name", named.Obj().Name(), name)
}

// embeddedOwner follows the embedded fields at index from t and returns
// the named type reached, or nil.
func embeddedOwner(t types.Type, index []int) *types.Named {
	for _, i := range index {
		st, ok := deref(t).Underlying().(*types.Struct)
		if !ok || i >= st.NumFields() {
			return nil
		}
		t = st.Field(i).Type()
	}
	named, _ := types.Unalias(deref(t)).(*types.Named)
	return named
}

func deref(t types.Type) types.Type {
	if p, ok := types.Unalias(t).(*types.Pointer); ok {
		return p.Elem()
	}
	return t
}
